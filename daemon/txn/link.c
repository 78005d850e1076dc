// SPDX-License-Identifier: MIT
/*
 * One request out, one answer in, over the host link; the MAC of field 64
 * computed and checked with the MAK in the key store.  One connection per
 * exchange (as UnionPay POS terminals use "short connections"): a host
 * that restarted, or a late duplicate answer, can never be mistaken for
 * the answer to the next request.
 */
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "crypto/keystore.h"
#include "hostlink/hostlink.h"
#include "txn/internal.h"

static const struct pcc_mac_spec cup_mac = { .alg = PCC_MAC_CUP_ECB, .cipher = PCC_ALG_TDES };

static int mac_with_mak(void *ctx, const uint8_t *data, size_t len, uint8_t mac[8])
{
	struct txn_engine *e = ctx;

	return pcc_keystore_mac(e->ks, TXN_KEY_MAC, &cup_mac, data, len, mac, 8) == PCC_OK ? 0 : -1;
}

static uint64_t mono_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000ULL + (uint64_t)ts.tv_nsec / 1000;
}

bool link_ready(struct txn_engine *e)
{
	enum hostlink_err err;
	uint64_t start;

	if (hostlink_is_connected(e->link))
		return true;
	start = mono_usec();
	err = hostlink_connect(e->link);
	e->host_usec += mono_usec() - start;
	e->host_state = err == HL_OK;
	if (err != HL_OK)
		engine_log(e, LOG_WARNING, "host unreachable: %s (%s)", hostlink_strerror(err),
			   hostlink_detail(e->link));
	return err == HL_OK;
}

static bool answer_mac_ok(struct txn_engine *e, const struct iso_msg *resp)
{
	const uint8_t *span, *mac;
	size_t span_len, mac_len;

	if (iso_frame_mac_span(&iso_dialect_cup, e->raw, e->raw_len, resp, &span, &span_len))
		return false;
	mac = iso_msg_get(resp, 64, &mac_len);
	return mac && mac_len == 8 &&
	       pcc_keystore_mac_verify(e->ks, TXN_KEY_MAC, &cup_mac, span, span_len, mac,
				       8) == PCC_OK;
}

static bool approved(const struct iso_msg *resp)
{
	char rc[3];

	return iso_msg_get_str(resp, 39, rc, sizeof(rc)) == ISO_OK && !strcmp(rc, "00");
}

static bool encode(struct txn_engine *e, struct iso_msg *req, bool mac, uint8_t *frame,
		   size_t size, size_t *len)
{
	struct iso_errinfo ei;
	enum iso_err ie;

	ie = mac ? iso_frame_encode_mac(&iso_dialect_cup, &e->env, req, mac_with_mak, e, frame,
					size, len, &ei)
		 : iso_frame_encode(&iso_dialect_cup, &e->env, req, frame, size, len, &ei);
	if (ie != ISO_OK)
		engine_log(e, LOG_ERR, "cannot encode %s: %s (field %d)", req->mti,
			   iso_strerror(ie), ei.field);
	return ie == ISO_OK;
}

/* The link's answer (in e->raw, or @err): decoded and checked. */
static enum link_result take_answer(struct txn_engine *e, const struct iso_msg *req,
				    enum hostlink_err err, bool mac, struct iso_msg *resp)
{
	struct iso_errinfo ei;
	enum iso_err ie;

	if (err != HL_OK) {
		engine_log(e, LOG_WARNING, "%s: no answer from the host: %s", req->mti,
			   hostlink_strerror(err));
		e->host_state = 0;
		return LINK_NO_ANSWER;
	}
	e->host_state = 1;
	ie = iso_frame_decode(&iso_dialect_cup, e->raw, e->raw_len, NULL, resp, &ei);
	if (ie != ISO_OK) {
		engine_log(e, LOG_WARNING, "%s: undecodable answer: %s (field %d, byte %zu)",
			   req->mti, iso_strerror(ie), ei.field, ei.offset);
		return LINK_GARBAGE;
	}
	iso_msg_get_str(resp, 39, e->last_rc, sizeof(e->last_rc));
	/* an answer without field 64 is a refusal before the MAC check
	 * (unknown terminal, sign in again): nothing to verify */
	if (mac && (iso_msg_has(resp, 64) || approved(resp)) && !answer_mac_ok(e, resp))
		return LINK_BAD_MAC;
	return LINK_OK;
}

static enum link_result exchange(struct txn_engine *e, struct iso_msg *req, bool mac,
				 struct iso_msg *resp)
{
	uint8_t frame[4096];
	size_t len;
	enum hostlink_err err;
	uint64_t start;

	if (!encode(e, req, mac, frame, sizeof(frame), &len) || !link_ready(e)) {
		memset(frame, 0, sizeof(frame));
		return LINK_NOT_SENT;
	}
	start = mono_usec();
	err = hostlink_send(e->link, frame, len);
	memset(frame, 0, sizeof(frame));	/* may hold track data */
	if (err == HL_OK)
		err = hostlink_recv(e->link, e->raw, sizeof(e->raw), &e->raw_len);
	e->host_usec += mono_usec() - start;
	return take_answer(e, req, err, mac, resp);
}

enum link_result link_exchange(struct txn_engine *e, struct iso_msg *req, bool mac,
			       struct iso_msg *resp)
{
	enum link_result r;

	if (e->busy) {
		engine_log(e, LOG_WARNING, "%s not sent: another exchange is in flight", req->mti);
		return LINK_NOT_SENT;
	}
	r = exchange(e, req, mac, resp);
	hostlink_disconnect(e->link);
	return r;
}

/* ---- non-blocking ---- */

#define ANSWER_TIMEOUT_MS	30000	/* when the configuration gives none */

/* Send done: wait for the answer; answer in: take it. */
static enum link_result advance(struct txn_engine *e, const struct iso_msg *req,
				enum hostlink_err err, bool mac, struct iso_msg *resp)
{
	const uint8_t *frame;
	size_t len;
	enum link_result r;

	if (err == HL_OK && !e->receiving) {
		e->receiving = true;
		err = hostlink_recv_start(e->link, e->cfg.answer_timeout_ms > 0 ?
					  e->cfg.answer_timeout_ms : ANSWER_TIMEOUT_MS);
	}
	if (err == HL_IN_PROGRESS)
		return LINK_IN_PROGRESS;
	e->host_usec += mono_usec() - e->op_start;
	if (err == HL_OK) {
		frame = hostlink_response(e->link, &len);
		if (!frame || len > sizeof(e->raw)) {
			err = HL_ERR_FRAME_TOO_LONG;
		} else {
			memcpy(e->raw, frame, len);
			e->raw_len = len;
		}
	}
	r = take_answer(e, req, err, mac, resp);
	hostlink_disconnect(e->link);
	e->busy = false;
	return r;
}

enum link_result link_start(struct txn_engine *e, struct iso_msg *req, bool mac,
			    struct iso_msg *resp)
{
	uint8_t frame[4096];
	size_t len;
	enum hostlink_err err;

	if (e->busy || !encode(e, req, mac, frame, sizeof(frame), &len) || !link_ready(e)) {
		memset(frame, 0, sizeof(frame));
		return LINK_NOT_SENT;
	}
	e->busy = true;
	e->receiving = false;
	e->op_start = mono_usec();
	err = hostlink_send_start(e->link, frame, len);
	memset(frame, 0, sizeof(frame));	/* may hold track data */
	if (err == HL_ERR_BAD_FRAME || err == HL_ERR_FRAME_TOO_LONG) {
		e->busy = false;	/* refused before a byte left */
		hostlink_disconnect(e->link);
		return LINK_NOT_SENT;
	}
	return advance(e, req, err, mac, resp);
}

enum link_result link_step(struct txn_engine *e, const struct iso_msg *req, bool mac,
			   struct iso_msg *resp)
{
	return advance(e, req, hostlink_step(e->link), mac, resp);
}

/* Connected (LINK_OK), still connecting, or unreachable (LINK_NOT_SENT). */
static enum link_result connect_result(struct txn_engine *e, enum hostlink_err err)
{
	if (err == HL_IN_PROGRESS)
		return LINK_IN_PROGRESS;
	e->host_usec += mono_usec() - e->op_start;
	e->busy = false;
	e->host_state = err == HL_OK;
	if (err != HL_OK)
		engine_log(e, LOG_WARNING, "host unreachable: %s (%s)", hostlink_strerror(err),
			   hostlink_detail(e->link));
	return err == HL_OK ? LINK_OK : LINK_NOT_SENT;
}

enum link_result link_connect_start(struct txn_engine *e)
{
	if (e->busy)
		return LINK_NOT_SENT;
	if (hostlink_is_connected(e->link))
		return LINK_OK;
	e->busy = true;
	e->op_start = mono_usec();
	return connect_result(e, hostlink_connect_start(e->link));
}

enum link_result link_connect_step(struct txn_engine *e)
{
	return connect_result(e, hostlink_step(e->link));
}

void link_abort(struct txn_engine *e)
{
	if (!e->busy)
		return;
	e->host_usec += mono_usec() - e->op_start;
	hostlink_disconnect(e->link);
	e->busy = false;
}
