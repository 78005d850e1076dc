// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txn/internal.h"

int txn_engine_new(const struct txn_config *cfg, struct journal *j, struct pcc_keystore *ks,
		   struct hostlink *link, const struct txn_hooks *hooks, struct txn_engine **out)
{
	struct txn_engine *e = calloc(1, sizeof(*e));

	if (!e)
		return -1;
	e->cfg = *cfg;
	e->journal = j;
	e->ks = ks;
	e->link = link;
	if (hooks)
		e->hooks = *hooks;
	e->host_state = -1;
	/* TPDU: ID 60, destination 0003, source 0000; UnionPay POS header */
	memcpy(e->env.tpdu, "\x60\x00\x03\x00\x00", 5);
	memcpy(e->env.header, "\x60\x31\x00\x00\x00\x00", 6);
	*out = e;
	return 0;
}

void txn_engine_free(struct txn_engine *e)
{
	free(e);
}

void txn_engine_set_config(struct txn_engine *e, const struct txn_config *cfg)
{
	e->cfg = *cfg;
}

bool txn_engine_busy(const struct txn_engine *e)
{
	return e->busy;
}

bool txn_engine_signed_in(const struct txn_engine *e)
{
	return e->signed_in;
}

const char *txn_engine_host_state(const struct txn_engine *e)
{
	return e->host_state < 0 ? "unknown" : e->host_state ? "reachable" : "unreachable";
}

const char *txn_engine_last_rc(const struct txn_engine *e)
{
	return e->last_rc;
}

void engine_log(struct txn_engine *e, int level, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	if (!e->hooks.log)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	e->hooks.log(e->hooks.user, level, text);
}

void engine_notice(struct txn_engine *e, const char *code, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (e->hooks.notice)
		e->hooks.notice(e->hooks.user, code, text);
}

void engine_set_signed_in(struct txn_engine *e, bool on)
{
	if (e->signed_in == on)
		return;
	e->signed_in = on;
	if (e->hooks.signed_in_changed)
		e->hooks.signed_in_changed(e->hooks.user, on);
}
