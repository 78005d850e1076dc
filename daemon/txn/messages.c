// SPDX-License-Identifier: MIT
/* Request skeletons and the checks every answer must pass. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "txn/internal.h"
#include "txn/response_codes.h"

/*
 * Field 25 from 60.1: 06 for the pre-authorisation family (pre-auth 10,
 * its void 11, completion 20, completion void 21), else 00.  Source: the
 * transaction table of the UnionPay POS terminal message field description
 * (docs/unionpay-messages.md [S1]).
 */
static const char *condition_code(const char *type)
{
	static const char *const preauth_family[] = { "10", "11", "20", "21" };

	for (size_t i = 0; i < sizeof(preauth_family) / sizeof(preauth_family[0]); i++)
		if (!strcmp(type, preauth_family[i]))
			return "06";
	return "00";
}

/*
 * 60.3 network management code 000; 60.4 the terminal's read capability,
 * 5 (contact chip, with the magstripe); 60.5 the IC condition code, 2 for
 * a swipe after the chip failed (fallback), else 0.  docs/unionpay-
 * messages.md, "Field 60".
 */
const char *financial_f60_tail(const char *entry)
{
	return entry && !strcmp(entry, "fallback") ? "00052" : "00050";
}

void original_f61(const struct journal_txn *orig, char out[17])
{
	time_t when = (time_t)(orig->created_usec / 1000000);
	struct tm tm;
	char mmdd[8] = "0000";

	if (localtime_r(&when, &tm))
		strftime(mmdd, sizeof(mmdd), "%m%d", &tm);
	snprintf(out, 17, "%.6s%.6s%.4s", orig->batch, orig->stan, mmdd);
}

void msg_start(struct txn_engine *e, struct iso_msg *m, const char *mti, const char *proc,
	       uint64_t amount, const char *stan, const char *type, const char *batch,
	       const char *tail)
{
	char text[32];
	bool management = !strcmp(mti, "0800") || !strcmp(mti, "0820") ||
			  !strcmp(mti, "0500") || !strcmp(mti, "0320");

	iso_msg_init(m, mti);
	if (proc)
		iso_msg_set_str(m, 3, proc);
	if (amount) {
		snprintf(text, sizeof(text), "%012llu", (unsigned long long)amount);
		iso_msg_set_str(m, 4, text);
	}
	iso_msg_set_str(m, 11, stan);
	if (!management) {
		iso_msg_set_str(m, 25, condition_code(type));
		/* CNY, with or without an amount (balance inquiry) */
		iso_msg_set_str(m, 49, "156");
	}
	iso_msg_set_str(m, 41, e->cfg.terminal_id);
	iso_msg_set_str(m, 42, e->cfg.merchant_id);
	snprintf(text, sizeof(text), "%s%s%s", type, batch, tail);
	iso_msg_set_str(m, 60, text);
}

static bool same_field(const struct iso_msg *a, const struct iso_msg *b, int field)
{
	size_t la, lb;
	const uint8_t *va = iso_msg_get(a, field, &la), *vb = iso_msg_get(b, field, &lb);

	return va && vb && la == lb && memcmp(va, vb, la) == 0;
}

bool response_matches(const struct txn_engine *e, const struct iso_msg *req,
		      const struct iso_msg *resp, char *why, size_t why_len)
{
	char want_mti[5];

	snprintf(want_mti, sizeof(want_mti), "%.2s%c%c", req->mti, req->mti[2] + 1, req->mti[3]);
	if (strcmp(resp->mti, want_mti))
		snprintf(why, why_len, "answer MTI %s to a %s", resp->mti, req->mti);
	else if (!same_field(req, resp, 42))
		snprintf(why, why_len, "answer under another merchant ID");
	else if (!same_field(req, resp, 41))
		snprintf(why, why_len, "answer under another terminal ID");
	else if (!same_field(req, resp, 11))
		snprintf(why, why_len, "answer with another STAN");
	else if (iso_msg_has(req, 4) && iso_msg_has(resp, 4) && !same_field(req, resp, 4))
		snprintf(why, why_len, "answer with another amount");
	else if (!iso_msg_has(resp, 39))
		snprintf(why, why_len, "answer without a response code");
	else
		return true;
	return false;
}

/* 77, 99, A0: see response_codes.c and docs/unionpay-messages.md. */
bool rc_wants_sign_in(const char *rc)
{
	const struct txn_response_code *c = txn_response_code(rc);

	return c && c->sign_in_again;
}
