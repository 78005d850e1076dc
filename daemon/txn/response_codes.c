// SPDX-License-Identifier: MIT
/*
 * Sources.  The meanings of 00-96 are ISO 8583:1987's; UnionPay's own
 * table is Q/CUP 006.6-2014 (中国银联银行卡联网联合技术规范 V2.1 第6部分
 * 附录, Annex A.2 应答码), which gives for each code the terminal's action
 * and the display it recommends; the wording here is ours.  Where it and
 * other sources differ:
 * - 22: A.2 says "suspected fault, wrong related transaction" (a void
 *   after a reversal, a completion after a pre-authorisation void): a
 *   decline.  Some published POS code lists read it as "POS state does
 *   not match the centre's, sign in again".  We follow A.2: no sign-in.
 * - 77 (batch out of step, sign in again) is not in A.2 (a cross-border
 *   volume); it is in the domestic POS tables (docs/unionpay-messages.md
 *   S8) and public UnionPay POS code ("77:B:请重新签到后再交易").
 * - 99 and A0: A.2 recommends the display "PIN 格式错，请重新签到" and
 *   "MAC 校验错，请重新签到": both mean sign in again.
 */
#include <string.h>

#include "txn/response_codes.h"

static const struct txn_response_code codes[] = {
	{ "00", "approved", false },
	{ "01", "refer to the card issuer: the cardholder should call the bank", false },
	{ "03", "invalid merchant: this merchant ID is not accepted by the acquirer", false },
	{ "04", "pick up the card", false },
	{ "05", "do not honour: the bank declined without giving a reason", false },
	{ "12", "invalid transaction: this card cannot be used for this transaction type", false },
	{ "13", "invalid amount", false },
	{ "14", "invalid card number", false },
	{ "15", "no such issuer: the card's bank is unknown to the acquirer", false },
	{ "19", "re-enter the transaction", false },
	{ "22", "wrong related transaction: the original was already voided, reversed or "
		"completed, or is too old for this operation", false },
	{ "25", "the original transaction was not found (void/refund of an unknown sale)", false },
	{ "30", "format error: the terminal sent a malformed message (software or key problem)",
	  false },
	{ "34", "suspected fraud: the card's cryptogram did not verify (counterfeit card or "
		"altered data); do not retry with this card, ask for another means of payment",
	  false },
	{ "38", "too many wrong PINs: the account is locked, the cardholder must see the bank",
	  false },
	{ "40", "the card's bank does not support this transaction", false },
	{ "41", "lost card: keep it if safe", false },
	{ "43", "stolen card: keep it if safe", false },
	{ "45", "no fallback: use the card's chip", false },
	{ "51", "insufficient funds", false },
	{ "54", "expired card", false },
	{ "55", "incorrect PIN", false },
	{ "57", "transaction not permitted to the cardholder", false },
	{ "58", "transaction not permitted to this terminal", false },
	{ "59", "the card's verification value did not check: suspected fraud", false },
	{ "61", "amount over the card's limit", false },
	{ "62", "restricted card", false },
	{ "64", "the amount differs from the original transaction's", false },
	{ "65", "too many transactions on this card today", false },
	{ "68", "the host answered too late: the transaction will be reversed", false },
	{ "75", "too many wrong PIN attempts", false },
	{ "77", "batch number out of step with the host: the terminal signs in again", true },
	{ "90", "the host is closing its day: try again shortly", false },
	{ "91", "the card's bank cannot be reached: try again later", false },
	{ "92", "the card's bank cannot be routed to: call the acquirer", false },
	{ "93", "the transaction cannot be completed: it would violate the law", false },
	{ "94", "duplicate transmission", false },
	{ "95", "reconciliation error: batch totals differ from the host's", false },
	{ "96", "system malfunction at the host: try again later", false },
	{ "97", "terminal not registered at the host: call the acquirer", false },
	{ "98", "the card's bank did not answer in time", false },
	{ "99", "PIN block format error: the terminal signs in again for new keys", true },
	{ "A0", "MAC check failed: the terminal signs in again for new keys", true },
	{ "A7", "security processing failed at the host (MAC, PIN or key error)", false },
};

const struct txn_response_code *txn_response_code(const char *code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].code, code) == 0)
			return &codes[i];
	return NULL;
}

const char *txn_response_code_text(const char *code)
{
	const struct txn_response_code *c = txn_response_code(code);

	return c ? c->text : NULL;
}
