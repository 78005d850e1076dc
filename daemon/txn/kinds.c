// SPDX-License-Identifier: MIT
/* UnionPay POS request codes: MTI, processing code (3), message type (60.1). */
#include "txn/internal.h"

static const struct kind_def kinds[TXN_KIND_COUNT] = {
	[TXN_SALE] = { "sale", "0200", "000000", "22", true, true },
	[TXN_VOID] = { "void", "0200", "200000", "23", true, true },
	[TXN_REFUND] = { "refund", "0220", "200000", "25", true, true },
	[TXN_BALANCE] = { "balance", "0200", "310000", "01", true, false },
	[TXN_PREAUTH] = { "preauth", "0100", "030000", "10", true, true },
	[TXN_PREAUTH_VOID] = { "preauth_void", "0100", "200000", "11", true, true },
	[TXN_COMPLETION] = { "completion", "0200", "000000", "20", true, true },
};

const struct kind_def *kind_def(enum txn_kind k)
{
	return k < TXN_KIND_COUNT ? &kinds[k] : NULL;
}

const char *txn_kind_name(enum txn_kind k)
{
	return k < TXN_KIND_COUNT ? kinds[k].name : "?";
}
