// SPDX-License-Identifier: MIT
#include "txn/fees.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum card_class fee_card_class(const struct fee_table *t, const char *pan)
{
	for (unsigned i = 0; i < t->n_credit_prefixes; i++)
		if (strncmp(pan, t->credit_prefixes[i], strlen(t->credit_prefixes[i])) == 0)
			return CARD_CREDIT;
	return CARD_DEBIT;
}

const char *card_class_name(enum card_class c)
{
	return c == CARD_CREDIT ? "credit" : "debit";
}

uint64_t fee_compute(const struct fee_table *t, enum card_class c, uint64_t amount)
{
	const struct fee_rule *r = &t->rule[c];
	/* amount <= 999999999999 fen and rate <= 10000 bp: no overflow */
	uint64_t fee = (amount * r->rate_bp + 5000) / 10000;

	return r->cap && fee > r->cap ? r->cap : fee;
}

static bool parse_number(const char *s, char **end, uint64_t max, uint64_t *out)
{
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return false;
	v = strtoull(s, end, 10);
	if (v > max)
		return false;
	*out = v;
	return true;
}

bool fee_rule_parse(const char *text, struct fee_rule *out)
{
	char *end;
	uint64_t rate, cap = 0;

	if (!parse_number(text, &end, 10000, &rate))
		return false;
	while (*end == ' ')
		end++;
	if (*end && (!parse_number(end, &end, 999999999999ULL, &cap) || *end))
		return false;
	out->rate_bp = (unsigned)rate;
	out->cap = cap;
	return true;
}
