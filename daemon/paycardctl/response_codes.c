// SPDX-License-Identifier: MIT
/* ISO 8583:1987 field 39 response codes, in words a merchant understands
 * (the meanings are the standard's; the wording is ours). */
#include <string.h>

#include "paycardctl/commands.h"

static const struct {
	const char *code;
	const char *text;
} codes[] = {
	{ "00", "approved" },
	{ "01", "refer to the card issuer: the cardholder should call the bank" },
	{ "03", "invalid merchant: this merchant ID is not accepted by the acquirer" },
	{ "04", "pick up the card" },
	{ "05", "do not honour: the bank declined without giving a reason" },
	{ "12", "invalid transaction: this card cannot be used for this transaction type" },
	{ "13", "invalid amount" },
	{ "14", "invalid card number" },
	{ "15", "no such issuer: the card's bank is unknown to the acquirer" },
	{ "19", "re-enter the transaction" },
	{ "25", "the original transaction was not found (void/refund of an unknown sale)" },
	{ "30", "format error: the terminal sent a malformed message (software or key problem)" },
	{ "34", "suspected fraud: the card's cryptogram did not verify (counterfeit card or "
		"altered data); do not retry with this card, ask for another means of payment" },
	{ "41", "lost card: keep it if safe" },
	{ "43", "stolen card: keep it if safe" },
	{ "51", "insufficient funds" },
	{ "54", "expired card" },
	{ "55", "incorrect PIN" },
	{ "57", "transaction not permitted to the cardholder" },
	{ "58", "transaction not permitted to this terminal" },
	{ "61", "amount over the card's limit" },
	{ "62", "restricted card" },
	{ "65", "too many transactions on this card today" },
	{ "68", "the host answered too late: the transaction will be reversed" },
	{ "75", "too many wrong PIN attempts" },
	{ "90", "the host is closing its day: try again shortly" },
	{ "91", "the card's bank cannot be reached: try again later" },
	{ "92", "the card's bank cannot be routed to: call the acquirer" },
	{ "93", "the transaction cannot be completed: it would violate the law" },
	{ "94", "duplicate transmission" },
	{ "95", "reconciliation error: batch totals differ from the host's" },
	{ "96", "system malfunction at the host: try again later" },
};

const char *response_code_text(const char *code)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].code, code) == 0)
			return codes[i].text;
	return NULL;
}
