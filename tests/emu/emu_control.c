// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Control socket: one command per line, one reply line ("ok ..." or
 * "err ...").  Commands (tests/emu/README.md has the full list):
 *   swipe T1 T2 T3    each "-" (absent) or [ok|parity|lrc|nosentinel:]DATA,
 *                     %XX escapes a byte (track 1 has spaces: %20)
 *   insert [PROFILE]  remove
 *   key K...          0-9 enter clear cancel f1-f4
 *   tamper [FLAGS]    error CODE
 *   unplug  replug    (USB: unbind/bind the UDC; SPI: close/reopen)
 *   misbehave bad-crc|oversize|garbage|stall|unsolicited-response|
 *             disconnect-mid-response
 *   delay MS          defer the next APDU response
 *   hostile N [SEED]  send N hostile items (emu_hostile.c)
 *   status
 */
#include "emu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <paycard/frame.h>

#define REPLY_MAX	256
#define MAX_ARGS	16

struct track_status_name {
	const char *name;
	uint8_t status;
};

static const struct track_status_name track_statuses[] = {
	{ "ok", PCP_TRACK_OK },
	{ "parity", PCP_TRACK_PARITY_ERROR },
	{ "lrc", PCP_TRACK_LRC_ERROR },
	{ "nosentinel", PCP_TRACK_NO_SENTINEL },
};

/* Decode "%XX" escapes in place; returns the length or -1. */
static int unescape(char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '%') {
			uint8_t b;

			if (!s[i + 1] || !s[i + 2])
				return -1;
			char pair[3] = { s[i + 1], s[i + 2], 0 };

			if (emu_hex_parse(pair, &b, 1) != 1)
				return -1;
			s[o++] = (char)b;
			i += 2;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return (int)o;
}

/* Append one track record (status, len, data) to @out; returns bytes. */
static int encode_track(char *arg, unsigned int max, uint8_t *out)
{
	uint8_t status = PCP_TRACK_OK;
	char *colon = strchr(arg, ':');
	int len;

	if (!strcmp(arg, "-")) {
		out[0] = PCP_TRACK_ABSENT;
		out[1] = 0;
		return 2;
	}
	if (colon) {
		size_t i;

		*colon = '\0';
		for (i = 0; i < sizeof(track_statuses) / sizeof(track_statuses[0]); i++)
			if (!strcmp(arg, track_statuses[i].name))
				break;
		if (i == sizeof(track_statuses) / sizeof(track_statuses[0]))
			return -1;
		status = track_statuses[i].status;
		arg = colon + 1;
	}
	len = unescape(arg);
	if (len < 0 || (unsigned int)len > max)
		return -1;
	out[0] = status;
	out[1] = (uint8_t)len;
	memcpy(out + 2, arg, (size_t)len);
	return 2 + len;
}

static int cmd_swipe(struct emu *e, int argc, char **argv, char *reply)
{
	static const unsigned int max[3] = { PCP_TRACK1_MAX, PCP_TRACK2_MAX,
					     PCP_TRACK3_MAX };
	uint8_t payload[6 + PCP_TRACK1_MAX + PCP_TRACK2_MAX + PCP_TRACK3_MAX];
	size_t n = 0;

	if (argc != 4)
		return snprintf(reply, REPLY_MAX, "err usage: swipe T1 T2 T3");
	for (int t = 0; t < 3; t++) {
		int len = encode_track(argv[t + 1], max[t], payload + n);

		if (len < 0)
			return snprintf(reply, REPLY_MAX, "err bad track %d", t + 1);
		n += (size_t)len;
	}
	pthread_mutex_lock(&e->lock);
	emu_send_event(e, PCP_EVT_MSR, payload, (uint32_t)n);
	pthread_mutex_unlock(&e->lock);
	memset(payload, 0, sizeof(payload));	/* track data is secret */
	return snprintf(reply, REPLY_MAX, "ok");
}

static int cmd_insert(struct emu *e, int argc, char **argv, char *reply)
{
	const char *path = argc > 1 ? argv[1] : e->cfg.profile;
	struct emu_profile p;
	char err[REPLY_MAX - 8];

	if (!path)
		return snprintf(reply, REPLY_MAX, "err no profile");
	if (emu_profile_load(&p, path, err, sizeof(err)))
		return snprintf(reply, REPLY_MAX, "err %s", err);
	pthread_mutex_lock(&e->lock);
	emu_profile_free(&e->card);
	e->card = p;
	e->card_present = true;
	e->powered = false;
	emu_send_event(e, PCP_EVT_CARD_INSERTED, NULL, 0);
	pthread_mutex_unlock(&e->lock);
	return snprintf(reply, REPLY_MAX, "ok %s", p.name);
}

static int cmd_remove(struct emu *e, char *reply)
{
	pthread_mutex_lock(&e->lock);
	if (!e->card_present) {
		pthread_mutex_unlock(&e->lock);
		return snprintf(reply, REPLY_MAX, "err no card");
	}
	e->card_present = false;
	e->powered = false;
	emu_profile_free(&e->card);
	emu_send_event(e, PCP_EVT_CARD_REMOVED, NULL, 0);
	pthread_mutex_unlock(&e->lock);
	return snprintf(reply, REPLY_MAX, "ok");
}

static int parse_key(const char *k)
{
	if (k[0] >= '0' && k[0] <= '9' && !k[1])
		return k[0];
	if (!strcmp(k, "enter"))
		return PCP_KEY_ENTER;
	if (!strcmp(k, "clear"))
		return PCP_KEY_CLEAR;
	if (!strcmp(k, "cancel"))
		return PCP_KEY_CANCEL;
	if (k[0] == 'f' && k[1] >= '1' && k[1] <= '4' && !k[2])
		return PCP_KEY_F1 + (k[1] - '1');
	return -1;
}

static int cmd_key(struct emu *e, int argc, char **argv, char *reply)
{
	int sent = 0, dropped = 0;

	if (argc < 2)
		return snprintf(reply, REPLY_MAX, "err usage: key K...");
	for (int i = 1; i < argc; i++)
		if (parse_key(argv[i]) < 0)
			return snprintf(reply, REPLY_MAX, "err bad key %s",
					argv[i]);
	pthread_mutex_lock(&e->lock);
	for (int i = 1; i < argc; i++) {
		if (emu_key_press(e, parse_key(argv[i]), emu_now_ms()))
			sent++;
		else
			dropped++;
	}
	pthread_cond_broadcast(&e->changed);	/* a later PIN deadline */
	pthread_mutex_unlock(&e->lock);
	return snprintf(reply, REPLY_MAX, "ok sent %d dropped %d", sent,
			dropped);
}

static int cmd_u32_event(struct emu *e, int argc, char **argv, char *reply,
			 uint8_t code, unsigned long dflt)
{
	uint8_t payload[4] = { 0 };
	unsigned long v = argc > 1 ? strtoul(argv[1], NULL, 0) : dflt;

	if (code == PCP_EVT_ERROR)
		pcp_put_le16(payload, (uint16_t)v);
	else
		pcp_put_le32(payload, (uint32_t)v);
	pthread_mutex_lock(&e->lock);
	emu_send_event(e, code, payload, sizeof(payload));
	pthread_mutex_unlock(&e->lock);
	return snprintf(reply, REPLY_MAX, "ok");
}

static int cmd_plug(struct emu *e, bool plug, char *reply)
{
	int ret;

	if (plug) {
		pthread_mutex_lock(&e->lock);
		emu_reset_state(e);
		e->event_seq = 0;
		pthread_mutex_unlock(&e->lock);
		emu_out_flush(e);
		ret = e->link->ops->plug(e->link);
	} else {
		ret = e->link->ops->unplug(e->link);
		emu_out_flush(e);
	}
	if (ret)
		return snprintf(reply, REPLY_MAX, "err %s failed",
				plug ? "replug" : "unplug");
	return snprintf(reply, REPLY_MAX, "ok");
}

static const struct {
	const char *name;
	enum emu_misbehave mode;
} misbehaviours[] = {
	{ "bad-crc", EMU_MB_BAD_CRC },
	{ "oversize", EMU_MB_OVERSIZE },
	{ "garbage", EMU_MB_GARBAGE },
	{ "stall", EMU_MB_STALL },
	{ "disconnect-mid-response", EMU_MB_DISCONNECT },
	{ "unsolicited-response", EMU_MB_NONE },	/* sent at once */
};

static int cmd_misbehave(struct emu *e, int argc, char **argv, char *reply)
{
	for (size_t i = 0; argc == 2 &&
	     i < sizeof(misbehaviours) / sizeof(misbehaviours[0]); i++) {
		if (strcmp(argv[1], misbehaviours[i].name))
			continue;
		if (misbehaviours[i].mode == EMU_MB_STALL && !e->link->ops->halt)
			return snprintf(reply, REPLY_MAX,
					"err stall: the %s link cannot halt",
					e->link->ops->name);
		pthread_mutex_lock(&e->lock);
		if (misbehaviours[i].mode == EMU_MB_NONE)
			emu_send_unsolicited_response(e);
		else
			e->misbehave = misbehaviours[i].mode;
		pthread_mutex_unlock(&e->lock);
		return snprintf(reply, REPLY_MAX, "ok");
	}
	return snprintf(reply, REPLY_MAX, "err usage: misbehave bad-crc|"
			"oversize|garbage|stall|unsolicited-response|"
			"disconnect-mid-response");
}

static int cmd_status(struct emu *e, char *reply)
{
	unsigned int truncated, hostile_sent;
	unsigned long long write_max_us;
	bool hostile;
	int n;

	pthread_mutex_lock(&e->rx_lock);
	truncated = e->rx.a.truncated;
	pthread_mutex_unlock(&e->rx_lock);
	pthread_mutex_lock(&e->out_lock);
	hostile = e->hostile_running;
	hostile_sent = e->hostile_sent;
	write_max_us = e->write_max_us;
	pthread_mutex_unlock(&e->out_lock);
	pthread_mutex_lock(&e->lock);
	n = snprintf(reply, REPLY_MAX,
		     "ok card=%d powered=%d keypad=%u leds=0x%x commands=%u "
		     "apdus=%u events=%u halts=%u truncated=%u enabled=%d "
		     "link=%s hostile=%d hostile_sent=%u write_max_us=%llu",
		     e->card_present, e->powered, e->keypad_mode, e->leds,
		     e->commands, e->apdus, e->event_seq, e->halts, truncated,
		     emu_link_ready(e->link), e->link->ops->name, hostile,
		     hostile_sent, write_max_us);
	pthread_mutex_unlock(&e->lock);
	return n;
}

static int cmd_hostile(struct emu *e, int argc, char **argv, char *reply)
{
	uint32_t count;

	if (argc < 2 || argc > 3)
		return snprintf(reply, REPLY_MAX, "err usage: hostile N [SEED]");
	count = (uint32_t)strtoul(argv[1], NULL, 0);
	if (emu_hostile_start(e, count,
			      argc == 3 ? strtoull(argv[2], NULL, 0) : 1))
		return snprintf(reply, REPLY_MAX, "err hostile run going");
	return snprintf(reply, REPLY_MAX, "ok");
}

static int cmd_delay(struct emu *e, int argc, char **argv, char *reply)
{
	if (argc != 2)
		return snprintf(reply, REPLY_MAX, "err usage: delay MS");
	pthread_mutex_lock(&e->lock);
	e->next_delay_ms = (uint32_t)strtoul(argv[1], NULL, 0);
	pthread_mutex_unlock(&e->lock);
	return snprintf(reply, REPLY_MAX, "ok");
}

static void dispatch(struct emu *e, int argc, char **argv, char *reply)
{
	const char *c = argv[0];

	if (!strcmp(c, "swipe"))
		cmd_swipe(e, argc, argv, reply);
	else if (!strcmp(c, "insert"))
		cmd_insert(e, argc, argv, reply);
	else if (!strcmp(c, "remove"))
		cmd_remove(e, reply);
	else if (!strcmp(c, "key"))
		cmd_key(e, argc, argv, reply);
	else if (!strcmp(c, "tamper"))
		cmd_u32_event(e, argc, argv, reply, PCP_EVT_TAMPER,
			      PCP_TAMPER_CASE_OPEN);
	else if (!strcmp(c, "error"))
		cmd_u32_event(e, argc, argv, reply, PCP_EVT_ERROR, 1);
	else if (!strcmp(c, "unplug") || !strcmp(c, "replug"))
		cmd_plug(e, c[0] == 'r', reply);
	else if (!strcmp(c, "misbehave"))
		cmd_misbehave(e, argc, argv, reply);
	else if (!strcmp(c, "delay"))
		cmd_delay(e, argc, argv, reply);
	else if (!strcmp(c, "hostile"))
		cmd_hostile(e, argc, argv, reply);
	else if (!strcmp(c, "status"))
		cmd_status(e, reply);
	else
		snprintf(reply, REPLY_MAX, "err unknown command %s", c);
}

static void handle_line(struct emu *e, char *line, int fd)
{
	char *argv[MAX_ARGS], *save = NULL, reply[REPLY_MAX + 1];
	int argc = 0;

	bool too_many = false;

	for (char *tok = strtok_r(line, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (argc == MAX_ARGS)
			too_many = true;
		else
			argv[argc++] = tok;
	}
	if (!argc)
		return;
	if (too_many)
		snprintf(reply, sizeof(reply), "err more than %d words",
			 MAX_ARGS);
	else
		dispatch(e, argc, argv, reply);
	strcat(reply, "\n");
	if (write(fd, reply, strlen(reply)) < 0)
		return;	/* the client went away; nothing to tell it */
}

static void serve_client(struct emu *e, int fd)
{
	char buf[1024];
	size_t fill = 0;

	for (;;) {
		ssize_t n = read(fd, buf + fill, sizeof(buf) - 1 - fill);
		char *nl;

		if (n <= 0)
			return;
		fill += (size_t)n;
		buf[fill] = '\0';
		while ((nl = strchr(buf, '\n'))) {
			*nl = '\0';
			handle_line(e, buf, fd);
			fill -= (size_t)(nl + 1 - buf);
			memmove(buf, nl + 1, fill + 1);
		}
		if (fill == sizeof(buf) - 1)
			fill = 0;	/* an over-long line is dropped */
	}
}

int emu_control_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "paycard-emu: control path too long\n");
		return -1;
	}
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(sa.sun_path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(fd, 4)) {
		fprintf(stderr, "paycard-emu: control socket %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return fd;
}

void *emu_control_thread(void *arg)
{
	struct emu *e = arg;

	for (;;) {
		int fd = accept4(e->control_fd, NULL, NULL, SOCK_CLOEXEC);

		if (fd < 0)
			continue;
		serve_client(e, fd);
		close(fd);
	}
	return NULL;
}
