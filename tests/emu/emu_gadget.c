// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The emulator's USB link (emu_link.h): configfs + FunctionFS plumbing.
 * Bulk OUT reads are the host's bytes, bulk IN writes the reader's; a
 * FunctionFS ENABLE event makes the link ready.
 */
#include "emu.h"
#include "emu_gadget.h"

#include <dirent.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <paycard/protocol.h>

#define CONFIGFS_GADGETS	"/sys/kernel/config/usb_gadget"
#define FFS_MOUNT_ROOT		"/run/paycard-emu"
#define EMU_PATH_MAX		256

/* Bulk wMaxPacketSize at high and at full speed. */
#define EMU_BULK_MAXPACKET	512
#define EMU_BULK_MAXPACKET_FS	64

struct emu_gadget {
	struct emu_link link;
	const char *name;		/* configfs gadget and FunctionFS instance */
	char dir[EMU_PATH_MAX];		/* configfs gadget directory */
	char ffs_dir[EMU_PATH_MAX];	/* FunctionFS mount point */
	char udc[64];
	int ep0, ep_in, ep_out;
	pthread_mutex_t lock;		/* bound, maxpacket */
	bool bound;
	unsigned int maxpacket;		/* bulk wMaxPacketSize at the current speed */
};

static struct emu_gadget *to_gadget(struct emu_link *l)
{
	return (struct emu_gadget *)((char *)l - offsetof(struct emu_gadget, link));
}

static int write_file(const char *dir, const char *name, const char *value)
{
	char path[EMU_PATH_MAX * 2];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0) {
		fprintf(stderr, "paycard-emu: open %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	n = write(fd, value, strlen(value));
	close(fd);
	if (n != (ssize_t)strlen(value)) {
		fprintf(stderr, "paycard-emu: write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int make_dir(const char *dir, const char *sub)
{
	char path[EMU_PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s%s%s", dir, *sub ? "/" : "", sub);
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "paycard-emu: mkdir %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int first_udc(char *out, size_t size)
{
	DIR *d = opendir("/sys/class/udc");
	struct dirent *de;
	int ret = -1;

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (strlen(de->d_name) < size) {
			memcpy(out, de->d_name, strlen(de->d_name) + 1);
			ret = 0;
		}
		break;
	}
	closedir(d);
	return ret;
}

static int configfs_gadget(struct emu_gadget *g, const struct emu_config *cfg)
{
	char hex[16], link[EMU_PATH_MAX * 2], target[EMU_PATH_MAX * 2];

	snprintf(g->dir, sizeof(g->dir), CONFIGFS_GADGETS "/%s", cfg->name);
	if (make_dir(g->dir, ""))
		return -1;
	snprintf(hex, sizeof(hex), "0x%04x", PCP_USB_TEST_VID);
	if (write_file(g->dir, "idVendor", hex))
		return -1;
	snprintf(hex, sizeof(hex), "0x%04x", PCP_USB_TEST_PID);
	if (write_file(g->dir, "idProduct", hex) ||
	    write_file(g->dir, "bcdUSB", "0x0200") ||
	    write_file(g->dir, "bcdDevice", "0x0100") ||
	    make_dir(g->dir, "strings/0x409") ||
	    write_file(g->dir, "strings/0x409/manufacturer", "paycard test") ||
	    write_file(g->dir, "strings/0x409/product", cfg->model) ||
	    write_file(g->dir, "strings/0x409/serialnumber", cfg->serial) ||
	    make_dir(g->dir, "configs/c.1") ||
	    make_dir(g->dir, "configs/c.1/strings/0x409") ||
	    write_file(g->dir, "configs/c.1/strings/0x409/configuration",
		       "reader") ||
	    write_file(g->dir, "configs/c.1/MaxPower", "100"))
		return -1;
	snprintf(target, sizeof(target), "%s/functions/ffs.%s", g->dir,
		 cfg->name);
	if (make_dir(target, ""))
		return -1;
	snprintf(link, sizeof(link), "%s/configs/c.1/ffs.%s", g->dir,
		 cfg->name);
	if (symlink(target, link) && errno != EEXIST) {
		fprintf(stderr, "paycard-emu: symlink %s: %s\n", link,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* Descriptors: FS (64-byte bulk) and HS (512-byte bulk), one interface. */
struct emu_func_descs {
	struct usb_interface_descriptor intf;
	struct usb_endpoint_descriptor_no_audio in;
	struct usb_endpoint_descriptor_no_audio out;
} __attribute__((packed));

static void fill_descs(struct emu_func_descs *d, uint16_t maxpacket)
{
	memset(d, 0, sizeof(*d));
	d->intf.bLength = sizeof(d->intf);
	d->intf.bDescriptorType = USB_DT_INTERFACE;
	d->intf.bNumEndpoints = 2;
	d->intf.bInterfaceClass = PCP_USB_CLASS;
	d->intf.bInterfaceSubClass = PCP_USB_SUBCLASS;
	d->intf.bInterfaceProtocol = PCP_USB_PROTOCOL;
	d->intf.iInterface = 1;
	d->in.bLength = sizeof(d->in);
	d->in.bDescriptorType = USB_DT_ENDPOINT;
	d->in.bEndpointAddress = 1 | USB_DIR_IN;
	d->in.bmAttributes = USB_ENDPOINT_XFER_BULK;
	d->in.wMaxPacketSize = htole16(maxpacket);
	d->out = d->in;
	d->out.bEndpointAddress = 2 | USB_DIR_OUT;
}

static int write_descriptors(int ep0)
{
	struct {
		struct usb_functionfs_descs_head_v2 head;
		__le32 fs_count, hs_count;
		struct emu_func_descs fs, hs;
	} __attribute__((packed)) descs;
	static const char iface[] = "paycard reader";
	struct {
		struct usb_functionfs_strings_head head;
		__le16 lang;
		char str[sizeof(iface)];
	} __attribute__((packed)) strings;

	descs.head.magic = htole32(FUNCTIONFS_DESCRIPTORS_MAGIC_V2);
	descs.head.length = htole32(sizeof(descs));
	descs.head.flags = htole32(FUNCTIONFS_HAS_FS_DESC |
				   FUNCTIONFS_HAS_HS_DESC);
	descs.fs_count = htole32(3);
	descs.hs_count = htole32(3);
	fill_descs(&descs.fs, EMU_BULK_MAXPACKET_FS);
	fill_descs(&descs.hs, EMU_BULK_MAXPACKET);
	strings.head.magic = htole32(FUNCTIONFS_STRINGS_MAGIC);
	strings.head.length = htole32(sizeof(strings));
	strings.head.str_count = htole32(1);
	strings.head.lang_count = htole32(1);
	strings.lang = htole16(0x0409);
	memcpy(strings.str, iface, sizeof(iface));

	if (write(ep0, &descs, sizeof(descs)) != sizeof(descs) ||
	    write(ep0, &strings, sizeof(strings)) != sizeof(strings)) {
		fprintf(stderr, "paycard-emu: FunctionFS descriptors: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

static int open_ep(const char *dir, const char *name, int flags)
{
	char path[EMU_PATH_MAX + 8];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, flags);
	if (fd < 0)
		fprintf(stderr, "paycard-emu: open %s: %s\n", path,
			strerror(errno));
	return fd;
}

static int gadget_setup(struct emu_gadget *g, const struct emu_config *cfg)
{
	if (cfg->udc)
		snprintf(g->udc, sizeof(g->udc), "%s", cfg->udc);
	else if (first_udc(g->udc, sizeof(g->udc))) {
		fprintf(stderr, "paycard-emu: no UDC (is dummy_hcd loaded?)\n");
		return -1;
	}
	if (configfs_gadget(g, cfg))
		return -1;
	snprintf(g->ffs_dir, sizeof(g->ffs_dir), FFS_MOUNT_ROOT "/%s",
		 cfg->name);
	if (make_dir(FFS_MOUNT_ROOT, "") || make_dir(g->ffs_dir, ""))
		return -1;
	if (mount(cfg->name, g->ffs_dir, "functionfs", 0, NULL)) {
		fprintf(stderr, "paycard-emu: mount functionfs %s: %s\n",
			g->ffs_dir, strerror(errno));
		return -1;
	}
	g->ep0 = open_ep(g->ffs_dir, "ep0", O_RDWR);
	if (g->ep0 < 0 || write_descriptors(g->ep0))
		return -1;
	g->ep_in = open_ep(g->ffs_dir, "ep1", O_RDWR);
	g->ep_out = open_ep(g->ffs_dir, "ep2", O_RDWR);
	return g->ep_in < 0 || g->ep_out < 0 ? -1 : 0;
}

static int gadget_plug(struct emu_link *l)
{
	struct emu_gadget *g = to_gadget(l);

	if (write_file(g->dir, "UDC", g->udc))
		return -1;
	pthread_mutex_lock(&g->lock);
	g->bound = true;
	pthread_mutex_unlock(&g->lock);
	return 0;
}

static int gadget_unplug(struct emu_link *l)
{
	struct emu_gadget *g = to_gadget(l);

	emu_link_unplugged(l);
	pthread_mutex_lock(&g->lock);
	g->bound = false;
	pthread_mutex_unlock(&g->lock);
	return write_file(g->dir, "UDC", "\n");
}

static void gadget_teardown(struct emu_link *l)
{
	struct emu_gadget *g = to_gadget(l);
	char path[EMU_PATH_MAX * 2];
	bool bound;

	pthread_mutex_lock(&g->lock);
	bound = g->bound;
	pthread_mutex_unlock(&g->lock);
	if (bound)
		gadget_unplug(l);
	if (g->ep_in >= 0)
		close(g->ep_in);
	if (g->ep_out >= 0)
		close(g->ep_out);
	if (g->ep0 >= 0)
		close(g->ep0);
	umount(g->ffs_dir);
	rmdir(g->ffs_dir);
	snprintf(path, sizeof(path), "%s/configs/c.1/ffs.%s", g->dir,
		 g->name);
	unlink(path);
	snprintf(path, sizeof(path), "%s/configs/c.1/strings/0x409", g->dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/configs/c.1", g->dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/functions/ffs.%s", g->dir, g->name);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/strings/0x409", g->dir);
	rmdir(path);
	rmdir(g->dir);
}

/* The speed the host connected us at ("full-speed", "high-speed"). */
static unsigned int current_maxpacket(const struct emu_gadget *g)
{
	char path[EMU_PATH_MAX], speed[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/class/udc/%s/current_speed", g->udc);
	f = fopen(path, "r");
	if (f) {
		if (!fgets(speed, sizeof(speed), f))
			speed[0] = '\0';
		fclose(f);
	}
	return strncmp(speed, "full-speed", 10) ? EMU_BULK_MAXPACKET :
						   EMU_BULK_MAXPACKET_FS;
}

static unsigned int gadget_maxpacket(struct emu_gadget *g)
{
	unsigned int mp;

	pthread_mutex_lock(&g->lock);
	mp = g->maxpacket;
	pthread_mutex_unlock(&g->lock);
	return mp;
}

static void set_enabled(struct emu_gadget *g, bool on)
{
	unsigned int mp = on ? current_maxpacket(g) : EMU_BULK_MAXPACKET;

	pthread_mutex_lock(&g->lock);
	g->maxpacket = mp;
	pthread_mutex_unlock(&g->lock);
	emu_link_set_ready(&g->link, on);
	if (on)
		fprintf(stderr, "paycard-emu: configured by the host\n");
}

/* Vendor control requests are not part of the protocol: stall them
 * (FunctionFS stalls a setup when ep0 I/O goes the wrong direction). */
static void stall_setup(int ep0, const struct usb_ctrlrequest *setup)
{
	char dummy;
	ssize_t ret;

	if (setup->bRequestType & USB_DIR_IN)
		ret = read(ep0, &dummy, 0);
	else
		ret = write(ep0, &dummy, 0);
	(void)ret;
}

/* ep0 events: ENABLE makes the link ready, DISABLE/UNBIND not. */
static void gadget_ep0_loop(struct emu_link *l)
{
	struct emu_gadget *g = to_gadget(l);
	struct usb_functionfs_event ev[4];

	for (;;) {
		ssize_t n = read(g->ep0, ev, sizeof(ev));

		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			fprintf(stderr, "paycard-emu: ep0: %s\n",
				strerror(errno));
			return;
		}
		for (size_t i = 0; i < (size_t)n / sizeof(ev[0]); i++) {
			switch (ev[i].type) {
			case FUNCTIONFS_ENABLE:
				set_enabled(g, true);
				break;
			case FUNCTIONFS_DISABLE:
			case FUNCTIONFS_UNBIND:
				set_enabled(g, false);
				break;
			case FUNCTIONFS_SETUP:
				stall_setup(g->ep0, &ev[i].u.setup);
				break;
			default:
				break;
			}
		}
	}
}

/*
 * A bulk OUT read completes only when its buffer fills or a short packet
 * arrives, so ask for exactly the rest of the frame being assembled,
 * rounded to the packet size (a packet when the length is not known yet).
 */
static ssize_t gadget_read(struct emu_link *l, void *buf, size_t cap,
			   size_t frame_rest)
{
	struct emu_gadget *g = to_gadget(l);
	size_t mp = gadget_maxpacket(g);
	size_t want = frame_rest ? frame_rest : mp;

	want = (want + mp - 1) / mp * mp;
	return read(g->ep_out, buf, want < cap ? want : cap);
}

static int gadget_write(struct emu_link *l, const void *buf, size_t len)
{
	struct emu_gadget *g = to_gadget(l);

	if (write(g->ep_in, buf, len) != (ssize_t)len)
		return -1;
	/* A transfer that ends on a packet boundary needs a zero-length
	 * packet, or the host keeps waiting for the rest. */
	if (len % gadget_maxpacket(g) == 0 && write(g->ep_in, buf, 0) < 0) {
		fprintf(stderr, "paycard-emu: ZLP: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Reading an IN endpoint file makes FunctionFS halt it (EBADMSG). */
static int gadget_halt(struct emu_link *l)
{
	char dummy;

	if (read(to_gadget(l)->ep_in, &dummy, 0) < 0 && errno == EBADMSG)
		return 0;
	fprintf(stderr, "paycard-emu: halt: %s\n", strerror(errno));
	return -1;
}

static const struct emu_link_ops gadget_ops = {
	.name = "usb",
	.plug = gadget_plug,
	.unplug = gadget_unplug,
	.teardown = gadget_teardown,
	.read = gadget_read,
	.write = gadget_write,
	.halt = gadget_halt,
	.run = gadget_ep0_loop,
};

struct emu_link *emu_gadget_create(const struct emu_config *cfg)
{
	static struct emu_gadget g;

	emu_link_init(&g.link, &gadget_ops);
	g.name = cfg->name;
	g.ep0 = g.ep_in = g.ep_out = -1;
	g.maxpacket = EMU_BULK_MAXPACKET;
	pthread_mutex_init(&g.lock, NULL);
	if (gadget_setup(&g, cfg)) {
		gadget_teardown(&g.link);
		return NULL;
	}
	snprintf(g.link.where, sizeof(g.link.where), "%s", g.udc);
	return &g.link;
}
