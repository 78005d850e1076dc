// SPDX-License-Identifier: MIT
#include "paycardd/txn_flow.h"

#include <openssl/crypto.h>
#include <paycard/protocol.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "emv/track.h"
#include "paycardd/card_session.h"
#include "paycardd/daemon.h"
#include "paycardd/engine_reply.h"
#include "paycardd/log.h"
#include "paycardd/reader_manager.h"

enum stage { WAIT_CARD, WAIT_PIN, ONLINE };

struct txn_flow {
	/* first: the card data and PIN live in the locked page */
	struct txn_card card;
	struct paycardd *d;
	struct txn_request req;
	bool want_pin;
	bool chip_failed;		/* a chip was inserted and could not be used */
	enum stage stage;
	size_t pin_len;
};

struct txn_flow *txn_flow_new(struct paycardd *d, const struct txn_request *req, bool want_pin)
{
	struct txn_flow *f = aligned_alloc(4096, 4096);

	if (!f)
		return NULL;
	memset(f, 0, 4096);
	/* never swapped out, never in a core dump */
	if (mlock(f, 4096) < 0)
		log_debug("transaction buffer not locked in memory");
	madvise(f, 4096, MADV_DONTDUMP);
	f->d = d;
	f->req = *req;
	f->want_pin = want_pin;
	f->stage = WAIT_CARD;
	return f;
}

void txn_flow_free(struct txn_flow *f)
{
	if (!f)
		return;
	OPENSSL_cleanse(f, 4096);
	munlock(f, 4096);
	free(f);
}

static void keypad(struct reader *r, uint8_t mode)
{
	struct paycard_keypad k = { .mode = mode, .pin_min = 4, .pin_max = 12 };

	if (r->dev && r->dev->ops->set_keypad(r->dev, &k) < 0)
		log_warning("reader %s: keypad mode %u refused", r->name, mode);
}

static void go_online(struct reader *r, struct txn_flow *f)
{
	struct txn_result res;
	sd_bus_message *reply;
	enum prompt p;

	f->stage = ONLINE;
	card_session_prompt(r, PROMPT_PROCESSING);
	card_session_state(r, "online");
	/* the engine wipes the card and PIN when it is done */
	txn_run(f->d->engine, &f->req, &f->card, &res);
	p = res.outcome == TXN_APPROVED ? PROMPT_APPROVED :
	    res.outcome == TXN_REVERSED ? PROMPT_REVERSED : PROMPT_DECLINED;
	card_session_prompt(r, p);
	card_session_state(r, res.outcome == TXN_APPROVED ? "approved" :
			      res.outcome == TXN_REVERSED ? "reversed" :
			      res.outcome == TXN_DECLINED ? "declined" : "failed");
	daemon_broadcast_properties(f->d, TERMINAL_PATH, TERMINAL_IFACE, "HostReachability",
				    "LastResponseCode", NULL);
	reply = engine_reply_new(card_session_call(r), &res, NULL);
	if (reply) {
		card_session_finish(r, reply);
		sd_bus_message_unref(reply);
	} else {
		card_session_fail(r, "org.paycard.Error.Failed", "no memory for the answer");
	}
}

static bool today(unsigned *yy, unsigned *mm)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return false;
	*yy = (unsigned)(tm.tm_year % 100);
	*mm = (unsigned)tm.tm_mon + 1;
	return true;
}

/* Field 35 carries track 2 without its sentinels and with '=' as the
 * separator; a track too long for it is left out (the PAN still goes). */
static void copy_track2(char *out, size_t size, const char *track2, size_t len)
{
	size_t start = len && track2[0] == ';', n = len - start;

	if (n && track2[start + n - 1] == '?')
		n--;
	if (n >= size)
		return;
	memcpy(out, track2 + start, n);
	out[n] = '\0';
	for (char *c = out; *c; c++)
		if (*c == 'D')
			*c = '=';
}

/* Track 2 read: check it, keep the PAN and track, ask for the PIN. */
void txn_flow_swipe(struct reader *r, struct txn_flow *f, const char *track2, size_t len)
{
	struct emv_track t;
	unsigned yy, mm;
	enum emv_status st;

	if (f->stage != WAIT_CARD)
		return;
	st = emv_track2_parse(track2, len, &t);
	if (st == EMV_OK && today(&yy, &mm))
		st = emv_track_check_expiry(&t, yy, mm);
	if (st != EMV_OK || !emv_luhn_valid(t.pan, strlen(t.pan))) {
		emv_track_wipe(&t);
		card_session_prompt(r, PROMPT_READ_FAILED);	/* swipe again */
		return;
	}
	if (emv_swipe_decide(&t, f->chip_failed && f->d->cfg.engine.chip_fallback) ==
	    EMV_SWIPE_INSERT_CHIP) {
		emv_track_wipe(&t);
		card_session_prompt(r, PROMPT_INSERT_CHIP);
		card_session_state(r, "insert-chip");
		return;
	}
	memcpy(f->card.pan, t.pan, sizeof(f->card.pan));
	emv_track_wipe(&t);
	copy_track2(f->card.track2, sizeof(f->card.track2), track2, len);
	f->card.entry = f->chip_failed && f->d->cfg.engine.chip_fallback ? "fallback" : "magstripe";
	if (!f->want_pin) {
		go_online(r, f);
		return;
	}
	f->stage = WAIT_PIN;
	f->pin_len = 0;
	keypad(r, PAYCARD_KEYPAD_PIN);
	card_session_rearm(r, f->d->cfg.engine.pin_timeout_s);
	card_session_prompt(r, PROMPT_ENTER_PIN);
	card_session_state(r, "pin-entry");
}

void txn_flow_chip(struct reader *r, struct txn_flow *f)
{
	if (f->stage != WAIT_CARD)
		return;
	/* the EMV flow is not wired into paycardd yet: say so, keep waiting
	 * for a swipe; with chip_fallback the chip card itself may then be
	 * swiped (a fallback, flagged in field 22) */
	f->chip_failed = true;
	card_session_prompt(r, PROMPT_CHIP_NOT_SUPPORTED);
}

static void pin_digits(struct reader *r, size_t count)
{
	daemon_broadcast_signal(reader_manager_daemon(r->mgr), TERMINAL_PATH, TERMINAL_IFACE,
				"PinDigits", "su", r->name, (uint32_t)count);
}

void txn_flow_key(struct reader *r, struct txn_flow *f, unsigned code)
{
	if (f->stage != WAIT_PIN)
		return;
	if (code >= PCP_KEY_0 && code <= PCP_KEY_9) {
		if (f->pin_len < 12) {
			f->card.pin[f->pin_len++] = (char)code;	/* PCP_KEY_0 is '0' */
			pin_digits(r, f->pin_len);
		}
	} else if (code == PCP_KEY_CLEAR) {
		OPENSSL_cleanse(f->card.pin, sizeof(f->card.pin));
		f->pin_len = 0;
		pin_digits(r, 0);
	} else if (code == PCP_KEY_ENTER && f->pin_len >= 4) {
		keypad(r, PAYCARD_KEYPAD_OFF);
		go_online(r, f);
	}
}
