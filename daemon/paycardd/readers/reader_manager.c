// SPDX-License-Identifier: MIT
#include "paycardd/readers/reader_manager.h"

#include <ctype.h>
#include <errno.h>
#include <paycard/protocol.h>
#include <libudev.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/daemon.h"
#include "paycardd/log.h"
#include "paycardd/readers/reader_identity.h"
#include "paycardd/reader_source.h"
#include "paycardd/readers/usb_context.h"

struct reader_manager {
	struct paycardd *d;
	const struct reader_listener *listener;
	struct reader *readers[READERS_MAX];
	size_t n;
	struct udev *udev;
	struct udev_monitor *monitor;
	sd_event_source *monitor_src;
	const struct reader_source *source;	/* set: readers from it, not udev */
	void *source_state;
	struct usb_context *usb;	/* set: readers through libusb, not the driver */
};

struct paycardd *reader_manager_daemon(struct reader_manager *m)
{
	return m->d;
}

struct reader *reader_manager_find(struct reader_manager *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->readers[i]->name, name) == 0)
			return m->readers[i];
	return NULL;
}

struct reader *reader_manager_find_path(struct reader_manager *m, const char *path)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->readers[i]->path, path) == 0)
			return m->readers[i];
	return NULL;
}

size_t reader_manager_count(struct reader_manager *m)
{
	return m->n;
}

struct reader *reader_manager_at(struct reader_manager *m, size_t i)
{
	return i < m->n ? m->readers[i] : NULL;
}

static void reader_changed(struct reader *r, const char *prop, const char *prop2)
{
	events_reader_changed(r->mgr->d, r, prop, prop2, NULL);
}

static void card_event_signal(struct reader *r, const char *what)
{
	events_card(r->mgr->d, r->name, what);
}

static void reader_detach(struct reader *r, const char *why)
{
	if (!r->dev)
		return;
	log_info("reader %s: %s", r->name, why);
	sd_event_source_disable_unref(r->io);
	r->io = NULL;
	r->dev->ops->close(r->dev);
	r->dev = NULL;
	r->present = false;
	r->card_present = false;
	r->mgr->listener->gone(r);
	reader_changed(r, "Present", "CardPresent");
}

static void handle_event(struct reader *r, struct paycard_event *ev)
{
	struct paycardd *d = r->mgr->d;

	if (ev->flags & PAYCARD_EVF_LOST)
		log_warning("reader %s: events were lost before #%u", r->name, ev->seq);
	switch (ev->type) {
	case PAYCARD_EVENT_CARD_INSERTED:
		r->card_present = true;
		card_event_signal(r, "inserted");
		reader_changed(r, "CardPresent", NULL);
		break;
	case PAYCARD_EVENT_CARD_REMOVED:
		r->card_present = false;
		card_event_signal(r, "removed");
		reader_changed(r, "CardPresent", NULL);
		break;
	case PAYCARD_EVENT_MSR:
		card_event_signal(r, "swiped");
		break;
	case PAYCARD_EVENT_KEY:
		break;	/* digits are never signalled; the session sees cancel */
	case PAYCARD_EVENT_TAMPER:
		daemon_notice(d, NOTICE_SECURITY, "reader.tamper",
			      "Reader %s (serial %s) reports tampering (flags 0x%x): stop using it",
			      r->name, r->info.serial, ev->tamper.flags);
		break;
	case PAYCARD_EVENT_ERROR:
		log_warning("reader %s: reader error %u", r->name, ev->error.code);
		break;
	default:
		log_warning("reader %s: unknown event type %u", r->name, ev->type);
		break;
	}
	r->mgr->listener->event(r, ev);
}

static int on_reader_io(sd_event_source *src, int fd, uint32_t revents, void *user)
{
	struct reader *r = user;
	struct paycard_event ev;
	int rc;

	/* bounded: a flood of events cannot starve the loop */
	for (int i = 0; i < 32; i++) {
		rc = r->dev->ops->read_event(r->dev, &ev);
		if (rc == 1)
			handle_event(r, &ev);
		explicit_bzero(&ev, sizeof(ev));	/* track data */
		if (rc <= 0)
			break;
	}
	if (rc < 0 && rc != -EAGAIN)
		reader_detach(r, rc == -ENODEV ? "disconnected" : "read error, closed");
	else if (rc == 0 && (revents & (EPOLLHUP | EPOLLERR)))
		reader_detach(r, "disconnected");
	return 0;
}

static struct reader *reader_get(struct reader_manager *m, const char *name)
{
	struct reader *r = reader_manager_find(m, name);

	if (r || m->n == READERS_MAX)
		return r;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->mgr = m;
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->path, sizeof(r->path), READER_PATH_PREFIX "/%s", name);
	m->readers[m->n++] = r;
	events_terminal_changed(m->d, "Readers", NULL);
	return r;
}

/* Identity pinning and firmware minimum: decides r->approved. */
static void reader_vet(struct reader *r)
{
	struct paycardd *d = r->mgr->d;
	const struct paycard_info *in = &r->info;
	const char *min = config_firmware_minimum(&d->cfg, in->model);

	switch (reader_identity_check(d->db, in->serial, in->model, in->firmware, now_realtime_usec())) {
	case IDENTITY_FIRST_RECORDED:
		r->approved = true;
		daemon_notice(d, NOTICE_INFO, "reader.pinned",
			      "Reader %s serial %s firmware %s recorded as this terminal's reader",
			      in->model, in->serial, in->firmware);
		break;
	case IDENTITY_APPROVED:
		r->approved = true;
		break;
	case IDENTITY_NEW_PENDING:
	case IDENTITY_STILL_PENDING:
		r->approved = false;
		daemon_notice(d, NOTICE_SECURITY, "reader.swapped",
			      "Reader %s serial %s is not the recorded reader: not used until a supervisor approves it",
			      in->model, in->serial);
		break;
	case IDENTITY_ERROR:
		r->approved = false;
		daemon_notice(d, NOTICE_MAINTENANCE, "reader.no_identity",
			      "Reader %s reports no usable serial number: not used", r->name);
		break;
	}
	if (min && firmware_version_compare(in->firmware, min) < 0 &&
	    reader_identity_firmware_warn_once(d->db, in->serial, in->firmware))
		daemon_notice(d, NOTICE_MAINTENANCE, "reader.firmware_old",
			      "Reader %s serial %s runs firmware %s; %s or newer is required for this model",
			      in->model, in->serial, in->firmware, min);
}

static void reader_attach(struct reader_manager *m, const char *name,
			  const char *backend, struct reader_device *dev)
{
	struct paycard_info info;
	struct reader *r;
	int rc = dev->ops->get_info(dev, &info);

	if (rc < 0 || info.abi_version != PAYCARD_ABI_VERSION) {
		if (rc < 0)
			log_error("reader %s: cannot read its identity: %s", name, strerror(-rc));
		else
			daemon_notice(m->d, NOTICE_MAINTENANCE, "reader.abi_mismatch",
				      "Reader %s: driver ABI %u, paycardd expects %u: not used",
				      name, info.abi_version, PAYCARD_ABI_VERSION);
		dev->ops->close(dev);
		return;
	}
	r = reader_get(m, name);
	if (!r || r->dev) {
		log_error("reader %s: %s", name, r ? "already attached" : "too many readers");
		dev->ops->close(dev);
		return;
	}
	r->info = info;
	r->dev = dev;
	snprintf(r->backend, sizeof(r->backend), "%s", backend);
	rc = sd_event_add_io(m->d->event, &r->io, dev->ops->event_fd(dev), EPOLLIN, on_reader_io, r);
	if (rc < 0) {
		log_error("reader %s: %s", name, strerror(-rc));
		dev->ops->close(dev);
		r->dev = NULL;
		return;
	}
	r->present = true;
	r->card_present = false;
	reader_vet(r);
	log_info("reader %s: %s serial %s firmware %s via %s%s", name, info.model, info.serial,
		 info.firmware, backend, r->approved ? "" : " (pending approval)");
	events_reader_changed(m->d, r, "Model", "Serial", "Firmware", "Transport", "Backend",
			      "Capabilities", "Present", "CardPresent", "Approved", NULL);
}

int reader_manager_approve(struct reader_manager *m, const char *serial)
{
	int rc = reader_identity_approve(m->d->db, serial);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < m->n; i++) {
		struct reader *r = m->readers[i];

		if (strcmp(r->info.serial, serial) == 0 && !r->approved) {
			r->approved = true;
			reader_changed(r, "Approved", NULL);
		}
	}
	daemon_notice(m->d, NOTICE_SECURITY, "reader.approved",
		      "Reader serial %s approved by a supervisor", serial);
	return 0;
}

/* ---- kernel backend discovery: libudev ---- */

static void udev_device_seen(struct reader_manager *m, struct udev_device *dev)
{
	const char *action = udev_device_get_action(dev);
	const char *name = udev_device_get_sysname(dev);
	const char *node = udev_device_get_devnode(dev);
	struct reader_device *rd;
	struct reader *r;
	int rc;

	if (!name)
		return;
	if (action && strcmp(action, "remove") == 0) {
		r = reader_manager_find(m, name);
		if (r)
			reader_detach(r, "removed");
		return;
	}
	if (!node || (action && strcmp(action, "add") != 0))
		return;
	rc = chardev_reader_open(node, &rd);
	if (rc < 0) {
		daemon_notice(m->d, NOTICE_MAINTENANCE, "reader.open_failed",
			      "Cannot open %s: %s", node, strerror(-rc));
		return;
	}
	reader_attach(m, name, "kernel", rd);
}

/* ---- the libusb transport's discovery: paycard interfaces on USB ---- */

/* "1-1.2:1.0" -> "usb1_1_2": object path elements allow [A-Za-z0-9_] */
static void usb_reader_name(const char *iface_sysname, char *out, size_t size)
{
	size_t n = (size_t)snprintf(out, size, "usb");

	for (const char *p = iface_sysname; *p && *p != ':' && n + 1 < size; p++)
		out[n++] = isalnum((unsigned char)*p) ? *p : '_';
	out[n] = '\0';
}

static bool is_paycard_interface(struct udev_device *dev)
{
	const char *cls = udev_device_get_sysattr_value(dev, "bInterfaceClass");
	const char *sub = udev_device_get_sysattr_value(dev, "bInterfaceSubClass");
	const char *proto = udev_device_get_sysattr_value(dev, "bInterfaceProtocol");

	return cls && sub && proto && strtoul(cls, NULL, 16) == PCP_USB_CLASS &&
	       strtoul(sub, NULL, 16) == PCP_USB_SUBCLASS &&
	       strtoul(proto, NULL, 16) == PCP_USB_PROTOCOL;
}

static void usb_interface_seen(struct reader_manager *m, struct udev_device *dev)
{
	const char *action = udev_device_get_action(dev);
	const char *devtype = udev_device_get_devtype(dev);
	struct udev_device *parent;
	struct reader_device *rd;
	struct reader *r;
	char name[16];
	int rc;

	if (!devtype || strcmp(devtype, "usb_interface") != 0)
		return;
	usb_reader_name(udev_device_get_sysname(dev), name, sizeof(name));
	if (action && strcmp(action, "remove") == 0) {
		r = reader_manager_find(m, name);
		if (r)
			reader_detach(r, "removed");
		return;
	}
	if ((action && strcmp(action, "add") != 0) || !is_paycard_interface(dev))
		return;
	parent = udev_device_get_parent_with_subsystem_devtype(dev, "usb", "usb_device");
	if (!parent || !udev_device_get_devnode(parent))
		return;
	rc = usb_reader_open(m->usb, udev_device_get_devnode(parent), &rd);
	if (rc < 0) {
		daemon_notice(m->d, NOTICE_MAINTENANCE, "reader.open_failed",
			      "Cannot drive the USB reader %s from userspace: %s",
			      udev_device_get_devnode(parent), strerror(-rc));
		return;
	}
	reader_attach(m, name, "libusb", rd);
}

static int on_udev(sd_event_source *src, int fd, uint32_t revents, void *user)
{
	struct reader_manager *m = user;
	struct udev_device *dev = udev_monitor_receive_device(m->monitor);

	if (dev) {
		if (m->usb)
			usb_interface_seen(m, dev);
		else
			udev_device_seen(m, dev);
		udev_device_unref(dev);
	}
	return 0;
}

/* Kernel readers (subsystem paycard) or, in USB mode, paycard interfaces. */
static int udev_start(struct reader_manager *m)
{
	const char *subsystem = m->usb ? "usb" : "paycard";
	struct udev_enumerate *en;
	struct udev_list_entry *e;
	int r;

	m->udev = udev_new();
	if (!m->udev)
		return -ENOMEM;
	m->monitor = udev_monitor_new_from_netlink(m->udev, "udev");
	if (m->monitor) {
		udev_monitor_filter_add_match_subsystem_devtype(m->monitor, subsystem,
								m->usb ? "usb_interface" : NULL);
		if (udev_monitor_enable_receiving(m->monitor) < 0)
			log_warning("udev monitor unavailable: hotplug will not be seen");
		else if ((r = sd_event_add_io(m->d->event, &m->monitor_src,
					      udev_monitor_get_fd(m->monitor), EPOLLIN,
					      on_udev, m)) < 0)
			return r;
	}
	en = udev_enumerate_new(m->udev);
	if (!en)
		return -ENOMEM;
	udev_enumerate_add_match_subsystem(en, subsystem);
	udev_enumerate_scan_devices(en);
	udev_list_entry_foreach(e, udev_enumerate_get_list_entry(en)) {
		struct udev_device *dev =
			udev_device_new_from_syspath(m->udev, udev_list_entry_get_name(e));

		if (dev && m->usb)
			usb_interface_seen(m, dev);
		else if (dev)
			udev_device_seen(m, dev);
		udev_device_unref(dev);
	}
	udev_enumerate_unref(en);
	return 0;
}

static void on_source_plug(void *user, const char *name, struct reader_device *dev)
{
	struct reader_manager *m = user;

	reader_attach(m, name, m->source->name, dev);
}

static int source_start(struct reader_manager *m, const struct reader_source *source)
{
	const char *control = m->d->cfg.source_control;

	m->source = source;
	return source->start(m->d->event, control[0] ? control : source->default_control,
			     on_source_plug, m, &m->source_state);
}

int reader_manager_start(struct paycardd *d, const struct reader_listener *listener,
			 struct reader_manager **out)
{
	struct reader_manager *m = calloc(1, sizeof(*m));
	int r;

	if (!m)
		return -ENOMEM;
	m->d = d;
	m->listener = listener;
	*out = m;	/* attach callbacks look it up through the daemon */
	if (d->cfg.reader_source) {
		r = source_start(m, d->cfg.reader_source);
	} else {
		r = 0;
		if (d->module_missing && d->cfg.usb_fallback) {
			r = usb_context_start(d->event, &m->usb);
			if (r >= 0)
				daemon_notice(d, NOTICE_MAINTENANCE, "reader.userspace_transport",
					      "Kernel module paycard is %s: readers are driven by paycardd's userspace USB transport (libusb)",
					      d->module_state);
		}
		if (r >= 0)
			r = udev_start(m);
	}
	if (r < 0) {
		log_error("reader discovery: %s", strerror(-r));
		reader_manager_free(m);
		*out = NULL;
	}
	return r;
}

void reader_manager_free(struct reader_manager *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		struct reader *r = m->readers[i];

		m->listener->closing(r);
		if (r->dev) {
			sd_event_source_disable_unref(r->io);
			r->dev->ops->close(r->dev);
		}
		free(r);
	}
	if (m->source)
		m->source->stop(m->source_state);
	usb_context_free(m->usb);
	sd_event_source_disable_unref(m->monitor_src);
	udev_monitor_unref(m->monitor);
	udev_unref(m->udev);
	free(m);
}
