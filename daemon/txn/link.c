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

static enum link_result exchange(struct txn_engine *e, struct iso_msg *req, bool mac,
				 struct iso_msg *resp)
{
	uint8_t frame[4096];
	size_t len;
	enum hostlink_err err;
	struct iso_errinfo ei;
	enum iso_err ie;
	uint64_t start;

	ie = mac ? iso_frame_encode_mac(&iso_dialect_cup, &e->env, req, mac_with_mak, e, frame,
					sizeof(frame), &len, &ei)
		 : iso_frame_encode(&iso_dialect_cup, &e->env, req, frame, sizeof(frame), &len, &ei);
	if (ie != ISO_OK) {
		engine_log(e, LOG_ERR, "cannot encode %s: %s (field %d)", req->mti,
			   iso_strerror(ie), ei.field);
		return LINK_NOT_SENT;
	}
	if (!link_ready(e))
		return LINK_NOT_SENT;
	start = mono_usec();
	err = hostlink_send(e->link, frame, len);
	memset(frame, 0, sizeof(frame));	/* may hold track data */
	if (err == HL_OK)
		err = hostlink_recv(e->link, e->raw, sizeof(e->raw), &e->raw_len);
	e->host_usec += mono_usec() - start;
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

enum link_result link_exchange(struct txn_engine *e, struct iso_msg *req, bool mac,
			       struct iso_msg *resp)
{
	enum link_result r = exchange(e, req, mac, resp);

	hostlink_disconnect(e->link);
	return r;
}
