// SPDX-License-Identifier: MIT
#include "paycardd/session/txn_flow.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <paycard/protocol.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "emv/terminal.h"
#include "emv/track.h"
#include "iso8583/tlv.h"
#include "paycardd/session/card_session.h"
#include "paycardd/daemon.h"
#include "paycardd/session/emv_params.h"
#include "paycardd/engine/engine_job.h"
#include "paycardd/engine/engine_setup.h"
#include "paycardd/engine/link_queue.h"
#include "paycardd/log.h"
#include "paycardd/readers/reader_manager.h"

enum stage { WAIT_CARD, WAIT_PIN, ONLINE };

/* UnionPay reversal reason (39 of the 0400) when the chip card refuses or
 * cannot complete a transaction its issuer approved */
#define REVERSAL_CARD_DECLINED	"06"

struct txn_flow {
	/* first: the card data and PIN live in the locked page */
	struct txn_card card;
	struct paycardd *d;
	struct txn_request req;
	bool want_pin;
	bool pin_required;		/* stripe: its service code says so */
	bool chip_failed;		/* a chip was inserted and could not be used */
	enum stage stage;
	size_t pin_len;
	/* chip: the EMV session (card data: locked too) and its transport */
	struct emv_session *emv;
	struct emv_transport transport;
	struct emv_terminal_config emv_config;	/* 9F1E: this reader's */
	bool arqc;			/* the first GENERATE AC is due before online */
	/* online: the request with the host, its answer awaited in the loop */
	struct reader *reader;
	struct txn_op *op;
	sd_event_source *host_io, *host_timer;
	/* the engine's link was busy (a sign-in or reversal job): the step to
	 * run again on its turn, and its place in the link's queue */
	struct link_waiter turn;
	void (*after_wait)(struct reader *r, struct txn_flow *f);
	uint64_t online_usec;		/* when the online step began */
	bool caught_up;			/* sign-in and reversals seen to */
	bool chip_online;		/* a chip transaction went online */
	bool chip_inserted;		/* the card sits in the slot: ask for it back */
	struct txn_result res;
};

#define FLOW_SIZE	4096
#define EMV_SIZE	((sizeof(struct emv_session) + 4095) / 4096 * 4096)

/* Page-aligned memory that is never swapped out and never in a core dump. */
static void *locked_alloc(size_t size)
{
	void *p = aligned_alloc(4096, size);

	if (!p)
		return NULL;
	memset(p, 0, size);
	if (mlock(p, size) < 0)
		log_debug("card data buffer not locked in memory");
	madvise(p, size, MADV_DONTDUMP);
	return p;
}

static void locked_free(void *p, size_t size)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, size);
	munlock(p, size);
	free(p);
}

struct txn_flow *txn_flow_new(struct paycardd *d, const struct txn_request *req, bool want_pin)
{
	struct txn_flow *f = locked_alloc(FLOW_SIZE);

	_Static_assert(sizeof(struct txn_flow) <= FLOW_SIZE, "the flow fits its locked page");
	if (!f)
		return NULL;
	f->d = d;
	f->req = *req;
	f->want_pin = want_pin;
	f->stage = WAIT_CARD;
	return f;
}

static void chip_end(struct txn_flow *f)
{
	if (!f->emv)
		return;
	emv_session_end(f->emv);
	locked_free(f->emv, EMV_SIZE);
	f->emv = NULL;
}

/* The card's data wiped and its chip powered off (the cardholder may now
 * take it out). */
static void chip_stop(struct reader *r, struct txn_flow *f)
{
	uint8_t atr[PAYCARD_ATR_MAX];
	size_t atr_len;

	if (!f->emv)
		return;
	chip_end(f);
	if (r->dev)
		r->dev->ops->chip_power(r->dev, false, atr, &atr_len);
}

static void host_wait_end(struct txn_flow *f)
{
	f->host_io = sd_event_source_disable_unref(f->host_io);
	f->host_timer = sd_event_source_disable_unref(f->host_timer);
}

void txn_flow_free(struct txn_flow *f)
{
	if (!f)
		return;
	host_wait_end(f);
	link_queue_leave(&f->turn);
	/* still with the host (cancel, reader gone): reversed later */
	txn_op_free(f->op);
	link_queue_released(f->d);
	chip_end(f);
	locked_free(f, FLOW_SIZE);
}

static void keypad(struct reader *r, uint8_t mode)
{
	struct paycard_keypad k = { .mode = mode, .pin_min = 4, .pin_max = 12 };

	if (r->dev && r->dev->ops->set_keypad(r->dev, &k) < 0)
		log_warning("reader %s: keypad mode %u refused", r->name, mode);
}

/* The host's field 55 for the card: 91 (ARPC + ARC) and any scripts. */
static void host_reply_from(const struct txn_result *res, struct emv_host_reply *reply)
{
	struct tlv t;

	memset(reply, 0, sizeof(*reply));
	reply->online = res->outcome == TXN_APPROVED || res->outcome == TXN_DECLINED;
	if (!reply->online) {
		memcpy(reply->arc, "Z3", 2);	/* unable to go online */
		return;
	}
	memcpy(reply->arc, res->rc[0] ? res->rc : "05", 2);
	if (res->icc_len && tlv_find(res->icc, res->icc_len, 0x91, &t) == TLV_OK) {
		reply->issuer_auth = t.value;
		reply->issuer_auth_len = t.len;
	}
	reply->scripts = res->icc;
	reply->scripts_len = res->icc_len;
}

/* Field 55 of a reversal of this chip transaction (UnionPay: TVR, IFD
 * serial, IAD, ATC, script results), from the card's latest answer. */
static void reversal_icc(struct txn_flow *f)
{
	if (emv_session_field55(f->emv, &emv_field55_cup_reversal, f->card.icc_reversal,
				sizeof(f->card.icc_reversal), &f->card.icc_reversal_len) != EMV_OK)
		f->card.icc_reversal_len = 0;	/* the 0400 goes without 55 */
}

/* After the host: issuer authentication and the second GENERATE AC.  An
 * approval the card refuses (AAC), or cannot give its word on (pulled
 * out, card error), is reversed. */
static void chip_complete(struct reader *r, struct txn_flow *f, struct txn_result *res)
{
	struct emv_host_reply reply;
	enum emv_ac_type type = EMV_AC_AAC;
	enum emv_status st;

	if (res->outcome == TXN_FAILED)
		return;
	host_reply_from(res, &reply);
	st = emv_session_complete(f->emv, &reply, &type);
	/* without a host answer the card's word decides nothing: the
	 * transaction is already reversed */
	if (st == EMV_OK && reply.online)
		snprintf(res->card_cryptogram, sizeof(res->card_cryptogram), "%s",
			 type == EMV_AC_TC ? "TC" : "AAC");
	else
		log_notice("reader %s: second GENERATE AC: %s", r->name, emv_strerror(st));
	if (!res->card_pending)
		return;
	if (st == EMV_OK && type == EMV_AC_TC) {
		txn_card_decision(f->d->engine, res, true, NULL, NULL, NULL, 0);
		return;
	}
	/* the reversal carries the card's data as its last answer left it */
	reversal_icc(f);
	txn_card_decision(f->d->engine, res, false, REVERSAL_CARD_DECLINED,
			  st == EMV_E_CARD_REMOVED ?
			  "the card was removed before it confirmed the approval" :
			  st == EMV_OK ? "the card declined the approved transaction" :
			  "the card could not confirm the approval",
			  f->card.icc_reversal, f->card.icc_reversal_len);
	OPENSSL_cleanse(f->card.icc_reversal, sizeof(f->card.icc_reversal));
}

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

/* The engine's answer: the chip's last word, prompts, the reply. */
static void online_done(struct reader *r, struct txn_flow *f)
{
	struct txn_result *res = &f->res;
	enum prompt p;

	host_wait_end(f);
	txn_op_free(f->op);
	f->op = NULL;
	link_queue_released(f->d);
	if (f->chip_online)
		chip_complete(r, f, res);
	chip_stop(r, f);
	p = res->outcome == TXN_APPROVED ? PROMPT_APPROVED :
	    res->outcome == TXN_REVERSED ? PROMPT_REVERSED : PROMPT_DECLINED;
	card_session_prompt(r, p);
	if (f->chip_inserted)
		card_session_prompt(r, PROMPT_REMOVE_CARD);
	card_session_state(r, res->outcome == TXN_APPROVED ? "approved" :
			      res->outcome == TXN_REVERSED ? "reversed" :
			      res->outcome == TXN_DECLINED ? "declined" : "failed");
	events_terminal_changed(f->d, "HostReachability", "LastResponseCode", NULL);
	if (f->online_usec)	/* the loop's wake-up for that input */
		res->elapsed_usec = now_usec() - f->online_usec;
	card_session_finish_txn(r, res);
}

static int host_wait(struct txn_flow *f);

static void host_ready(struct txn_flow *f)
{
	if (txn_op_step(f->op) == 0 || host_wait(f) < 0)
		online_done(f->reader, f);
}

static int on_host_io(sd_event_source *src, int fd, uint32_t revents, void *user)
{
	host_ready(user);
	return 0;
}

static int on_host_timer(sd_event_source *src, uint64_t usec, void *user)
{
	host_ready(user);
	return 0;
}

/* Watch the link for what the exchange waits on (send, then answer). */
static int host_wait(struct txn_flow *f)
{
	return engine_watch_link(f->d, &f->host_io, &f->host_timer, on_host_io, on_host_timer, f);
}

/* The engine's link is held by one of its own jobs (the sign-in after
 * start, a reversal on the retry timer): the cardholder's step waits for
 * its turn (link_queue.h) rather than fail with Busy. */
static void on_turn(void *user)
{
	struct txn_flow *f = user;

	f->after_wait(f->reader, f);
}

/* True when @step was put off until the engine is free. */
static bool wait_for_engine(struct reader *r, struct txn_flow *f,
			    void (*step)(struct reader *r, struct txn_flow *f))
{
	if (!f->turn.timeout && f->after_wait != step) {
		f->after_wait = step;
		f->turn.until = 0;	/* a new wait */
	}
	f->turn.ready = on_turn;
	f->turn.user = f;
	f->reader = r;
	return link_queue_wait(f->d, &f->turn) > 0;
}

/* Not signed in, or reversals waiting: the engine's jobs see to them in
 * the event loop (once per transaction) and @step waits for them; what
 * is still wrong afterwards the engine refuses (NotSignedIn...). */
static bool catch_up(struct reader *r, struct txn_flow *f,
		     void (*step)(struct reader *r, struct txn_flow *f))
{
	if (f->caught_up)
		return false;
	f->caught_up = true;
	return engine_catch_up(f->d) && wait_for_engine(r, f, step);
}

/* The request goes out; the event loop keeps serving while the host
 * thinks (other clients, other readers, Cancel). */
static void go_online(struct reader *r, struct txn_flow *f)
{
	int rc;

	if (!f->online_usec)
		sd_event_now(f->d->event, CLOCK_MONOTONIC, &f->online_usec);
	if (wait_for_engine(r, f, go_online) || (!f->op && catch_up(r, f, go_online)))
		return;
	f->stage = ONLINE;
	f->reader = r;
	f->chip_inserted = f->emv != NULL;
	f->chip_online = f->emv && f->arqc;
	card_session_disarm(r);
	card_session_prompt(r, PROMPT_PROCESSING);
	card_session_state(r, "online");
	/* the engine wipes the card and PIN when it is done */
	if (f->op)
		rc = txn_op_send(f->op);
	else
		rc = txn_run_start(f->d->engine, &f->req, &f->card, &f->res, &f->op);
	if (rc == 1 && host_wait(f) == 0)
		return;
	if (rc < 0) {
		card_session_fail(r, SESSION_ERROR_FAILED, "no memory for the transaction");
		return;
	}
	/* done at once, or no event source to wait with (the op is then
	 * abandoned: reversed like a lost answer) */
	online_done(r, f);
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

/* The card is read: the engine records the transaction (a disk write
 * that overlaps the cardholder's typing), then the keypad goes into PIN
 * mode.  A transaction the engine refuses (not signed in, no original,
 * reversal pending...) ends here, before anyone types a PIN. */
static void chip_error(struct reader *r, struct txn_flow *f, enum session_error error,
		       const char *text);

static void pin_entry(struct reader *r, struct txn_flow *f)
{
	int rc;

	if (wait_for_engine(r, f, pin_entry) || catch_up(r, f, pin_entry))
		return;
	rc = txn_run_prepare(f->d->engine, &f->req, &f->card, &f->res, &f->op);
	if (rc < 0) {
		chip_error(r, f, SESSION_ERROR_FAILED, "no memory for the transaction");
		return;
	}
	if (rc == 0) {
		f->reader = r;
		online_done(r, f);
		return;
	}
	f->stage = WAIT_PIN;
	f->pin_len = 0;
	keypad(r, PAYCARD_KEYPAD_PIN);
	card_session_rearm(r, f->d->cfg.engine.pin_timeout_s);
	card_session_prompt(r, PROMPT_ENTER_PIN);
	card_session_state(r, "pin-entry");
}

/* Track 2 read: check it, keep the PAN and track, ask for the PIN. */
static void flow_swipe(struct reader *r, void *flow, const char *track2, size_t len)
{
	struct txn_flow *f = flow;
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
	f->pin_required = emv_track_pin_required(&t);
	emv_track_wipe(&t);
	copy_track2(f->card.track2, sizeof(f->card.track2), track2, len);
	f->card.entry = f->chip_failed && f->d->cfg.engine.chip_fallback ? "fallback" : "magstripe";
	if (!f->want_pin) {
		go_online(r, f);
		return;
	}
	pin_entry(r, f);
}

static int chip_transceive(void *ctx, const uint8_t *capdu, size_t capdu_len,
			   uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct reader *r = ctx;

	if (!r->dev)
		return -ENODEV;
	return r->dev->ops->apdu(r->dev, capdu, capdu_len, rapdu, rapdu_size, rapdu_len);
}

/* The chip cannot be used: keep waiting; with chip_fallback the card may
 * now be swiped (a fallback, flagged in field 22). */
static void chip_unusable(struct reader *r, struct txn_flow *f, const char *why)
{
	log_notice("reader %s: chip not usable: %s", r->name, why);
	chip_stop(r, f);
	f->chip_failed = true;
	card_session_prompt(r, f->d->cfg.engine.chip_fallback ? PROMPT_CHIP_FAILED_SWIPE :
							       PROMPT_CHIP_FAILED);
}

static void chip_error(struct reader *r, struct txn_flow *f, enum session_error error,
		       const char *text)
{
	chip_stop(r, f);
	card_session_prompt(r, PROMPT_DECLINED);
	card_session_state(r, "failed");
	card_session_fail(r, error, text);
}

/* The first GENERATE AC (ARQC) and field 55, then online. */
static void chip_online(struct reader *r, struct txn_flow *f)
{
	enum emv_ac_type type;
	enum emv_status st = EMV_OK;

	if (f->arqc) {
		st = emv_session_first_ac(f->emv, &type);
		if (st == EMV_OK && type != EMV_AC_ARQC) {
			chip_error(r, f, SESSION_ERROR_CARD_DECLINED,
				   "the card declined the transaction offline (AAC)");
			return;
		}
		if (st == EMV_OK)
			st = emv_session_field55(f->emv, &emv_field55_cup_request, f->card.icc,
						 sizeof(f->card.icc), &f->card.icc_len);
		if (st == EMV_OK)
			reversal_icc(f);
	}
	if (st == EMV_E_CARD_REMOVED) {
		chip_error(r, f, SESSION_ERROR_CARD_REMOVED, "the card was removed");
		return;
	}
	if (st != EMV_OK) {
		chip_error(r, f, SESSION_ERROR_CARD_ERROR, emv_strerror(st));
		return;
	}
	go_online(r, f);
}

/* The card data the request carries: PAN, PSN (23), track 2 equivalent. */
static void chip_card_data(struct txn_flow *f)
{
	const struct emv_card_info *c = &f->emv->card;

	snprintf(f->card.pan, sizeof(f->card.pan), "%s", c->pan);
	snprintf(f->card.track2, sizeof(f->card.track2), "%s", c->track2);
	if (c->psn >= 0)
		snprintf(f->card.psn, sizeof(f->card.psn), "%03d", c->psn % 1000);
	f->card.entry = "chip";
}

/* A card inserted: power on, the EMV flow up to the CVM, then PIN entry
 * on the keypad (as for a swipe) or straight online. */
static void flow_chip(struct reader *r, void *flow)
{
	struct txn_flow *f = flow;
	struct emv_txn_params params;
	uint32_t sequence;		/* 9F41 */
	uint8_t atr[PAYCARD_ATR_MAX];
	size_t atr_len = 0;
	enum emv_status st;
	int rc;

	if (f->stage != WAIT_CARD || f->emv)
		return;
	card_session_prompt(r, PROMPT_READING_CARD);
	rc = r->dev ? r->dev->ops->chip_power(r->dev, true, atr, &atr_len) : -ENODEV;
	if (rc < 0) {
		chip_unusable(r, f, strerror(-rc));
		return;
	}
	f->emv = locked_alloc(EMV_SIZE);
	if (!f->emv || journal_next_sequence(f->d->journal, &sequence) ||
	    !emv_params_txn(&f->req, sequence, &params)) {
		chip_error(r, f, SESSION_ERROR_FAILED,
			   "no memory, journal or randomness for the chip");
		return;
	}
	f->transport.transceive = chip_transceive;
	f->transport.ctx = r;
	emv_params_terminal(r->info.serial, &f->emv_config);
	emv_session_init(f->emv, &f->transport, &f->emv_config);
	st = emv_session_read_card(f->emv, &params);
	if (st == EMV_E_CARD_REMOVED) {
		chip_error(r, f, SESSION_ERROR_CARD_REMOVED, "the card was removed");
		return;
	}
	if (st == EMV_E_EXPIRED || st == EMV_E_CARD_BLOCKED) {
		chip_error(r, f, SESSION_ERROR_CARD_ERROR, emv_strerror(st));
		return;
	}
	if (st != EMV_OK) {
		chip_unusable(r, f, emv_strerror(st));
		return;
	}
	chip_card_data(f);
	f->arqc = emv_params_wants_arqc(f->req.kind);
	/* the card's CVM decides when it is asked for a cryptogram (a PIN
	 * only for online PIN: 9F34 then says what happened); a void or
	 * refund only reads the card (PIN as the caller asked) */
	if (f->arqc ? f->emv->cvm != EMV_CVM_ONLINE_PIN : !f->want_pin) {
		chip_online(r, f);
		return;
	}
	pin_entry(r, f);
}

static void flow_card_removed(struct reader *r, void *flow)
{
	struct txn_flow *f = flow;

	/* only a chip transaction under way cares; before the host was
	 * asked nothing needs reversing */
	if (!f->emv || f->stage == ONLINE)
		return;
	keypad(r, PAYCARD_KEYPAD_OFF);
	chip_error(r, f, SESSION_ERROR_CARD_REMOVED, "the card was removed before the transaction");
}

/* Enter with no digits: no PIN, where the terminal's configuration and
 * the card allow it (the chip's CVM list walks on to its next rule);
 * otherwise the cardholder is asked again. */
static void pin_bypass(struct reader *r, struct txn_flow *f)
{
	bool allowed = f->d->cfg.engine.pin_bypass &&
		       (f->emv ? emv_session_pin_bypass_allowed(f->emv) : !f->pin_required);

	if (!allowed) {
		card_session_prompt(r, PROMPT_ENTER_PIN);
		return;
	}
	keypad(r, PAYCARD_KEYPAD_OFF);
	log_info("reader %s: PIN bypassed", r->name);
	if (!f->emv) {
		go_online(r, f);
		return;
	}
	if (emv_session_pin_bypassed(f->emv) != EMV_OK) {
		chip_error(r, f, SESSION_ERROR_CARD_ERROR, "the card's CVM list cannot be applied");
		return;
	}
	chip_online(r, f);
}

static void pin_digits(struct reader *r, size_t count)
{
	events_pin_digits(reader_manager_daemon(r->mgr), r->name, (unsigned)count);
}

static void flow_key(struct reader *r, void *flow, unsigned code)
{
	struct txn_flow *f = flow;

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
	} else if (code == PCP_KEY_ENTER && f->pin_len == 0) {
		pin_bypass(r, f);
	} else if (code == PCP_KEY_ENTER && f->pin_len >= 4) {
		keypad(r, PAYCARD_KEYPAD_OFF);
		if (f->emv) {
			emv_session_pin_entered(f->emv);
			chip_online(r, f);
		} else {
			go_online(r, f);
		}
	}
}

static void flow_free(void *flow)
{
	txn_flow_free(flow);
}

const struct card_flow_ops txn_flow_ops = {
	.chip = flow_chip,
	.swipe = flow_swipe,
	.key = flow_key,
	.card_removed = flow_card_removed,
	.free = flow_free,
};
