// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * watch: print the reader's events as they come, for the demo.  Track data
 * is secret: only the masked PAN (first 6, last 4) is shown; in PIN mode a
 * digit shows as "*".
 */
#include "vmtest.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <paycard/protocol.h>

/* PAN of track 2 ("PAN=YYMM...") masked as 401234*****6789. */
static void print_masked_pan(const struct paycard_track *t)
{
	char pan[20];
	size_t n = 0;

	while (n < t->len && n < sizeof(pan) - 1 && t->data[n] >= '0' &&
	       t->data[n] <= '9') {
		pan[n] = (char)t->data[n];
		n++;
	}
	pan[n] = '\0';
	if (n < 13) {
		printf("(no PAN)");
		return;
	}
	for (size_t i = 6; i < n - 4; i++)
		pan[i] = '*';
	printf("PAN %s", pan);
	memset(pan, 0, sizeof(pan));
}

static const char *track_status(uint8_t s)
{
	static const char *const names[] = { "absent", "ok", "parity error",
					     "LRC error", "no sentinel" };

	return s < 5 ? names[s] : "?";
}

static void print_key(uint16_t code)
{
	if (code >= PCP_KEY_0 && code <= PCP_KEY_9)
		printf("key *\n");
	else if (code == PCP_KEY_ENTER)
		printf("key ENTER\n");
	else if (code == PCP_KEY_CLEAR)
		printf("key CLEAR\n");
	else if (code == PCP_KEY_CANCEL)
		printf("key CANCEL\n");
	else if (code >= PCP_KEY_F1 && code < PCP_KEY_F1 + 4)
		printf("key F%d\n", code - PCP_KEY_F1 + 1);
	else
		printf("key 0x%02x\n", code);
}

static void print_event(const struct paycard_event *ev)
{
	printf("  [event %u] ", ev->seq);
	switch (ev->type) {
	case PAYCARD_EVENT_CARD_INSERTED:
		printf("chip card inserted\n");
		break;
	case PAYCARD_EVENT_CARD_REMOVED:
		printf("chip card removed\n");
		break;
	case PAYCARD_EVENT_MSR:
		printf("swipe: track1 %s, track2 %s, track3 %s; ",
		       track_status(ev->msr.track[0].status),
		       track_status(ev->msr.track[1].status),
		       track_status(ev->msr.track[2].status));
		print_masked_pan(&ev->msr.track[1]);
		printf("\n");
		break;
	case PAYCARD_EVENT_KEY:
		print_key(ev->key.code);
		break;
	case PAYCARD_EVENT_TAMPER:
		printf("TAMPER flags 0x%x\n", ev->tamper.flags);
		break;
	default:
		printf("type %u\n", ev->type);
		break;
	}
	fflush(stdout);
}

int vt_watch(int seconds)
{
	struct paycard_event ev;
	uint64_t end = vt_now_us() + (uint64_t)seconds * 1000000;
	int fd = vt_open(VT_SERIAL, 0);

	if (fd < 0) {
		printf("watch: open: %s\n", strerror(errno));
		return 1;
	}
	if (vt_keypad(fd, PAYCARD_KEYPAD_PIN))
		printf("watch: PIN mode refused\n");
	while (vt_now_us() < end) {
		int r = vt_read_event(fd, &ev, 200);

		if (r < 0) {
			printf("watch: %s\n", strerror(errno));
			break;
		}
		if (r == 1)
			print_event(&ev);
	}
	memset(&ev, 0, sizeof(ev));
	close(fd);
	return 0;
}
