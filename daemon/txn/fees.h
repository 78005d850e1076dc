/* SPDX-License-Identifier: MIT */
/*
 * Fees per card class: a rate in hundredths of a percent (basis points)
 * and a cap in fen (0: none), e.g. debit 0.5 % capped at 20 CNY, credit
 * 0.6 %.  The card class of a PAN comes from configured BIN prefixes
 * (credit); every other card is debit.
 */
#ifndef PAYCARD_TXN_FEES_H
#define PAYCARD_TXN_FEES_H

#include <stdbool.h>
#include <stdint.h>

#define FEE_CREDIT_PREFIXES	16

enum card_class { CARD_DEBIT, CARD_CREDIT, CARD_CLASS_COUNT };

struct fee_rule {
	unsigned rate_bp;		/* 50 = 0.50 % */
	uint64_t cap;			/* fen, 0 = no cap */
};

struct fee_table {
	struct fee_rule rule[CARD_CLASS_COUNT];
	char credit_prefixes[FEE_CREDIT_PREFIXES][12];
	unsigned n_credit_prefixes;
};

enum card_class fee_card_class(const struct fee_table *t, const char *pan);
const char *card_class_name(enum card_class c);

/* The fee of @amount fen: rounded half up to the fen, then capped. */
uint64_t fee_compute(const struct fee_table *t, enum card_class c, uint64_t amount);

/* "50 2000" (rate_bp cap) -> rule; false on a bad value. */
bool fee_rule_parse(const char *text, struct fee_rule *out);

#endif
