// SPDX-License-Identifier: MIT
#include "reader_backend_fake.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "paycardd/log.h"
#include "paycardd/readers/reader_backend.h"
#include "virtual_card.h"

#define FAKE_READERS_MAX	8

struct fake_slot {
	char name[16];
	int write_fd;			/* the test's end; -1 when unplugged */
	uint32_t seq;
	/* the chip card in the slot */
	bool inserted;
	bool has_chip;			/* false: a mute chip */
	bool powered;
	bool pull_after_ac;
	bool stall_after_ac;		/* once: the card thinks 3 s after its ARQC */
	struct vcard card;
};

struct fake_reader {
	struct reader_device base;
	int read_fd;			/* the daemon's end */
	struct paycard_info info;
	struct fake_slot *slot;		/* the backend outlives its devices */
};

struct fake_backend {
	int control_fd;
	char control_path[108];
	sd_event_source *src;
	reader_plug_fn on_plug;
	void *user;
	struct fake_slot slots[FAKE_READERS_MAX];
};

static struct fake_reader *to_fake(struct reader_device *dev)
{
	return (struct fake_reader *)dev;
}

static int fake_event_fd(struct reader_device *dev)
{
	return to_fake(dev)->read_fd;
}

static int fake_get_info(struct reader_device *dev, struct paycard_info *info)
{
	*info = to_fake(dev)->info;
	return 0;
}

static int fake_read_event(struct reader_device *dev, struct paycard_event *ev)
{
	ssize_t n = recv(to_fake(dev)->read_fd, ev, sizeof(*ev), MSG_DONTWAIT);

	if (n == (ssize_t)sizeof(*ev))
		return 1;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return n <= 0 ? -ENODEV : -EIO;
}

static int fake_abort(struct reader_device *dev)
{
	return 0;
}

/* The fake keypad sends whatever the test types: nothing to switch. */
static int fake_set_keypad(struct reader_device *dev, const struct paycard_keypad *mode)
{
	return 0;
}

static void send_event(struct fake_slot *slot, struct paycard_event *ev);

static void card_out(struct fake_slot *slot)
{
	if (slot->has_chip)
		vcard_wipe(&slot->card);
	slot->inserted = slot->has_chip = slot->powered = slot->pull_after_ac = false;
	slot->stall_after_ac = false;
}

/* A cold reset of the virtual card; its ATR is a fixed T=0 one (the
 * terminal flow does not depend on it). */
static int fake_chip_power(struct reader_device *dev, bool on, uint8_t *atr, size_t *atr_len)
{
	static const uint8_t t0_atr[] = { 0x3b, 0x60, 0x00, 0x00 };
	struct fake_slot *slot = to_fake(dev)->slot;

	if (!slot->inserted)
		return -ENOMEDIUM;
	if (!on) {
		slot->powered = false;
		return 0;
	}
	if (!slot->has_chip)
		return -EIO;
	slot->powered = true;
	memcpy(atr, t0_atr, sizeof(t0_atr));
	*atr_len = sizeof(t0_atr);
	return 0;
}

static int fake_apdu(struct reader_device *dev, const uint8_t *capdu, size_t capdu_len,
		     uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct fake_slot *slot = to_fake(dev)->slot;
	struct paycard_event ev = { .type = PAYCARD_EVENT_CARD_REMOVED };
	int rc;

	if (!slot->inserted || !slot->powered)
		return -ENOMEDIUM;
	if (slot->pull_after_ac && slot->card.first_ac_done) {
		/* the cardholder pulled the card while the host was asked */
		card_out(slot);
		if (slot->write_fd >= 0)
			send_event(slot, &ev);
		return -ENOMEDIUM;
	}
	if (slot->stall_after_ac && slot->card.first_ac_done) {
		/* a slow card at its second GENERATE AC: the window in which
		 * a crash must leave the approval reversible */
		struct timespec ts = { .tv_sec = 3 };

		slot->stall_after_ac = false;
		nanosleep(&ts, NULL);
	}
	rc = vcard_transceive(&slot->card, capdu, capdu_len, rapdu, rapdu_size, rapdu_len);
	if (rc == -ENOMEDIUM)
		slot->powered = false;
	return rc;
}

static void fake_close(struct reader_device *dev)
{
	close(to_fake(dev)->read_fd);
	free(dev);
}

static const struct reader_backend_ops fake_ops = {
	.name = "fake",
	.event_fd = fake_event_fd,
	.get_info = fake_get_info,
	.read_event = fake_read_event,
	.abort = fake_abort,
	.set_keypad = fake_set_keypad,
	.chip_power = fake_chip_power,
	.apdu = fake_apdu,
	.close = fake_close,
};

static struct fake_slot *slot_find(struct fake_backend *fb, const char *name, bool create)
{
	for (int i = 0; i < FAKE_READERS_MAX; i++)
		if (strcmp(fb->slots[i].name, name) == 0)
			return &fb->slots[i];
	if (!create)
		return NULL;
	for (int i = 0; i < FAKE_READERS_MAX; i++) {
		if (fb->slots[i].name[0] == '\0') {
			snprintf(fb->slots[i].name, sizeof(fb->slots[i].name), "%s", name);
			fb->slots[i].write_fd = -1;
			return &fb->slots[i];
		}
	}
	return NULL;
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

static void cmd_plug(struct fake_backend *fb, char **arg, int n)
{
	struct fake_slot *slot;
	struct fake_reader *r;
	int sv[2];

	if (n < 5 || strlen(arg[1]) >= 16 || !(slot = slot_find(fb, arg[1], true)) ||
	    slot->write_fd >= 0) {
		log_warning("fake: bad or duplicate plug command");
		return;
	}
	r = calloc(1, sizeof(*r));
	if (!r || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		free(r);
		return;
	}
	r->base.ops = &fake_ops;
	r->slot = slot;
	r->read_fd = sv[0];
	slot->write_fd = sv[1];
	slot->seq = 0;
	r->info.proto_major = 1;
	r->info.caps = PAYCARD_CAP_MSR | PAYCARD_CAP_ICC | PAYCARD_CAP_KEYPAD | PAYCARD_CAP_PIN_ENTRY;
	r->info.max_apdu = 261;
	r->info.abi_version = n > 5 ? (uint32_t)strtoul(arg[5], NULL, 10) : PAYCARD_ABI_VERSION;
	copy_str(r->info.model, sizeof(r->info.model), arg[2]);
	copy_str(r->info.serial, sizeof(r->info.serial), arg[3]);
	copy_str(r->info.firmware, sizeof(r->info.firmware), arg[4]);
	copy_str(r->info.transport, sizeof(r->info.transport), "fake");
	fb->on_plug(fb->user, slot->name, &r->base);
}

static void send_event(struct fake_slot *slot, struct paycard_event *ev)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ev->seq = ++slot->seq;
	ev->timestamp_ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	if (send(slot->write_fd, ev, sizeof(*ev), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		log_warning("fake %s: event lost: %s", slot->name, strerror(errno));
	/* the event may carry track data: do not leave it on the stack */
	explicit_bzero(ev, sizeof(*ev));
}

/* insert NAME [PROFILE [pull-after-ac]]: false when the profile is unusable */
static bool card_in(struct fake_slot *slot, char **arg, int n)
{
	struct vcard_profile p;
	char err[128] = "unusable profile";

	card_out(slot);
	slot->inserted = true;
	if (n < 3)
		return true;	/* a card with a mute chip */
	if (vcard_profile_load(&p, arg[2], err, sizeof(err)) || vcard_init(&slot->card, &p)) {
		explicit_bzero(&p, sizeof(p));
		log_warning("fake %s: card profile %s: %s", slot->name, arg[2], err);
		slot->inserted = false;
		return false;
	}
	explicit_bzero(&p, sizeof(p));
	slot->has_chip = true;
	slot->pull_after_ac = n > 3 && strcmp(arg[3], "pull-after-ac") == 0;
	slot->stall_after_ac = n > 3 && strcmp(arg[3], "stall-after-ac") == 0;
	return true;
}

static bool build_event(struct fake_slot *slot, char **arg, int n, struct paycard_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (strcmp(arg[0], "insert") == 0) {
		if (!card_in(slot, arg, n))
			return false;
		ev->type = PAYCARD_EVENT_CARD_INSERTED;
	} else if (strcmp(arg[0], "remove") == 0) {
		card_out(slot);
		ev->type = PAYCARD_EVENT_CARD_REMOVED;
	} else if (strcmp(arg[0], "swipe") == 0 && n == 3 &&
		   strlen(arg[2]) <= sizeof(ev->msr.track[1].data)) {
		ev->type = PAYCARD_EVENT_MSR;
		ev->msr.track[1].status = PAYCARD_TRACK_OK;
		ev->msr.track[1].len = (uint8_t)strlen(arg[2]);
		memcpy(ev->msr.track[1].data, arg[2], ev->msr.track[1].len);
	} else if (strcmp(arg[0], "key") == 0 && n == 3) {
		ev->type = PAYCARD_EVENT_KEY;
		ev->key.code = (uint16_t)strtoul(arg[2], NULL, 0);
	} else if (strcmp(arg[0], "tamper") == 0 && n == 3) {
		ev->type = PAYCARD_EVENT_TAMPER;
		ev->tamper.flags = (uint32_t)strtoul(arg[2], NULL, 0);
	} else {
		return false;
	}
	return true;
}

static void run_command(struct fake_backend *fb, char *line)
{
	char *arg[8], *save = NULL;
	struct paycard_event ev;
	struct fake_slot *slot;
	int n = 0;

	for (char *t = strtok_r(line, " \t\n", &save); t && n < 8; t = strtok_r(NULL, " \t\n", &save))
		arg[n++] = t;
	if (n < 2)
		return;
	if (strcmp(arg[0], "plug") == 0) {
		cmd_plug(fb, arg, n);
		return;
	}
	slot = slot_find(fb, arg[1], false);
	if (!slot || slot->write_fd < 0) {
		log_warning("fake: no plugged reader '%s'", arg[1]);
		return;
	}
	if (strcmp(arg[0], "unplug") == 0) {
		close(slot->write_fd);
		slot->write_fd = -1;
		card_out(slot);
	} else if (build_event(slot, arg, n, &ev)) {
		send_event(slot, &ev);
	} else {
		log_warning("fake: unknown command '%s'", arg[0]);
	}
}

static int on_control(sd_event_source *src, int fd, uint32_t revents, void *user)
{
	char line[512];
	ssize_t n = recv(fd, line, sizeof(line) - 1, MSG_DONTWAIT);

	if (n <= 0)
		return 0;
	line[n] = '\0';
	run_command(user, line);
	explicit_bzero(line, sizeof(line));
	return 0;
}

static void fake_backend_free(void *state)
{
	struct fake_backend *fb = state;

	if (!fb)
		return;
	sd_event_source_disable_unref(fb->src);
	close(fb->control_fd);
	unlink(fb->control_path);
	for (int i = 0; i < FAKE_READERS_MAX; i++) {
		if (fb->slots[i].name[0] && fb->slots[i].write_fd >= 0)
			close(fb->slots[i].write_fd);
		card_out(&fb->slots[i]);
	}
	free(fb);
}

static int fake_backend_start(sd_event *event, const char *control_path,
			      reader_plug_fn on_plug, void *user, void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct fake_backend *fb = calloc(1, sizeof(*fb));
	int r;

	if (!fb)
		return -ENOMEM;
	fb->on_plug = on_plug;
	fb->user = user;
	snprintf(fb->control_path, sizeof(fb->control_path), "%s", control_path);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", control_path);
	fb->control_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	unlink(control_path);
	if (fb->control_fd < 0 || bind(fb->control_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		r = -errno;
		if (fb->control_fd >= 0)
			close(fb->control_fd);
		free(fb);
		return r;
	}
	r = sd_event_add_io(event, &fb->src, fb->control_fd, EPOLLIN, on_control, fb);
	if (r < 0) {
		fake_backend_free(fb);
		return r;
	}
	log_notice("fake reader backend: control socket %s", control_path);
	*state = fb;
	return 0;
}

const struct reader_source fake_reader_source = {
	.name = "fake",
	.control_key = "fake_control",
	.default_control = "/run/paycard/fake-readers.sock",
	.start = fake_backend_start,
	.stop = fake_backend_free,
};
