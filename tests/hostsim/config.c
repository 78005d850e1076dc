// SPDX-License-Identifier: MIT
/*
 * Simulator configuration (INI, libinih):
 *
 *   [host]        listen = ADDR:PORT, ledger = PATH, acquirer_id = DIGITS,
 *                 message_table = PATH (requests checked against it),
 *                 tls_cert / tls_key = PEM (TLS server mode),
 *                 tls_client_ca = PEM (then client certificates required)
 *   [terminal TID] merchant = MID15, name = TEXT, master_key = HEX16,
 *                 bdk = HEX16 (DUKPT terminals)
 *   [card PAN]    pin = DIGITS, balance = MINOR UNITS, type = debit|credit,
 *                 fault = SPEC, issuer_key = HEX32 (EMV issuer master
 *                 key: chip requests are declined without it)
 *   [faults]      AMOUNT = SPEC  (amount in minor units)
 *
 * Fault SPEC: delay:MS | noanswer | disconnect | reset | garbage | badmac |
 * merchant:MID | terminal:TID | stan:dup | stan:other | rc:XX
 */
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "hostsim.h"

int hs_fault_parse(const char *spec, struct hs_fault *f)
{
	static const struct { const char *name; enum hs_fault_kind kind; } plain[] = {
		{ "noanswer", HS_FAULT_NO_ANSWER }, { "disconnect", HS_FAULT_DISCONNECT },
		{ "reset", HS_FAULT_RESET }, { "garbage", HS_FAULT_GARBAGE },
		{ "badmac", HS_FAULT_BAD_MAC }, { "stan:dup", HS_FAULT_STAN_DUP },
		{ "stan:other", HS_FAULT_STAN_OTHER }, { "none", HS_FAULT_NONE },
	};
	const char *arg = strchr(spec, ':');

	memset(f, 0, sizeof(*f));
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		if (!strcmp(spec, plain[i].name)) {
			f->kind = plain[i].kind;
			return 0;
		}
	}
	if (!arg || strlen(arg + 1) >= sizeof(f->value) || !arg[1])
		return -1;
	snprintf(f->value, sizeof(f->value), "%s", arg + 1);
	if (!strncmp(spec, "delay:", 6)) {
		f->kind = HS_FAULT_DELAY;
		f->delay_ms = atoi(arg + 1);
		return f->delay_ms > 0 ? 0 : -1;
	}
	if (!strncmp(spec, "rc:", 3) && strlen(f->value) == 2) {
		f->kind = HS_FAULT_RC;
		return 0;
	}
	if (!strncmp(spec, "merchant:", 9) && strlen(f->value) == 15) {
		f->kind = HS_FAULT_MERCHANT;
		return 0;
	}
	if (!strncmp(spec, "terminal:", 9) && strlen(f->value) == 8) {
		f->kind = HS_FAULT_TERMINAL;
		return 0;
	}
	return -1;
}

static bool hex_key(const char *text, uint8_t *out, size_t len)
{
	return hex_decode(text, strlen(text), out, len) == (long)len;
}

static int host_key(struct hs_config *cfg, const char *name, const char *value)
{
	if (!strcmp(name, "listen")) {
		const char *colon = strrchr(value, ':');

		if (!colon || (size_t)(colon - value) >= sizeof(cfg->listen_host))
			return 0;
		snprintf(cfg->listen_host, sizeof(cfg->listen_host), "%.*s",
			 (int)(colon - value), value);
		snprintf(cfg->listen_port, sizeof(cfg->listen_port), "%s", colon + 1);
	} else if (!strcmp(name, "ledger")) {
		snprintf(cfg->ledger, sizeof(cfg->ledger), "%s", value);
	} else if (!strcmp(name, "acquirer_id")) {
		snprintf(cfg->acquirer_id, sizeof(cfg->acquirer_id), "%s", value);
	} else if (!strcmp(name, "message_table")) {
		snprintf(cfg->message_table, sizeof(cfg->message_table), "%s", value);
	} else if (!strcmp(name, "tls_cert")) {
		snprintf(cfg->tls_cert, sizeof(cfg->tls_cert), "%s", value);
	} else if (!strcmp(name, "tls_key")) {
		snprintf(cfg->tls_key, sizeof(cfg->tls_key), "%s", value);
	} else if (!strcmp(name, "tls_client_ca")) {
		snprintf(cfg->tls_client_ca, sizeof(cfg->tls_client_ca), "%s", value);
	} else {
		return 0;
	}
	return 1;
}

static int terminal_key(struct hs_terminal *t, const char *name, const char *value)
{
	if (!strcmp(name, "merchant") && strlen(value) == 15)
		snprintf(t->mid, sizeof(t->mid), "%s", value);
	else if (!strcmp(name, "name"))
		snprintf(t->name, sizeof(t->name), "%s", value);
	else if (!strcmp(name, "master_key"))
		return t->has_tmk = hex_key(value, t->tmk, 16);
	else if (!strcmp(name, "bdk"))
		return t->has_bdk = hex_key(value, t->bdk, 16);
	else
		return 0;
	return 1;
}

static int card_key(struct hs_card *c, const char *name, const char *value)
{
	if (!strcmp(name, "pin") && strlen(value) < sizeof(c->pin))
		snprintf(c->pin, sizeof(c->pin), "%s", value);
	else if (!strcmp(name, "balance"))
		c->balance = atoll(value);
	else if (!strcmp(name, "type") && (!strcmp(value, "debit") || !strcmp(value, "credit")))
		c->credit = !strcmp(value, "credit");
	else if (!strcmp(name, "fault"))
		return hs_fault_parse(value, &c->fault) == 0;
	else if (!strcmp(name, "issuer_key"))
		return c->has_issuer_key = hex_key(value, c->issuer_key, 16);
	else
		return 0;
	return 1;
}

/* inih calls this once per key; a new [terminal X] / [card X] section
 * starts a new entry (sections are not repeated in our files). */
static int on_key(void *user, const char *section, const char *name,
		  const char *value)
{
	struct hs_config *cfg = user;

	if (!strcmp(section, "host"))
		return host_key(cfg, name, value);
	if (!strncmp(section, "terminal ", 9)) {
		struct hs_terminal *t = hs_terminal_find(cfg, section + 9);

		if (!t) {
			if (cfg->n_terminals == HS_MAX_TERMINALS || strlen(section + 9) != 8)
				return 0;
			t = &cfg->terminals[cfg->n_terminals++];
			snprintf(t->tid, sizeof(t->tid), "%s", section + 9);
		}
		return terminal_key(t, name, value);
	}
	if (!strncmp(section, "card ", 5)) {
		struct hs_card *c = hs_card_find(cfg, section + 5);

		if (!c) {
			if (cfg->n_cards == HS_MAX_CARDS || strlen(section + 5) >= sizeof(c->pan))
				return 0;
			c = &cfg->cards[cfg->n_cards++];
			snprintf(c->pan, sizeof(c->pan), "%s", section + 5);
		}
		return card_key(c, name, value);
	}
	if (!strcmp(section, "faults") && cfg->n_rules < HS_MAX_RULES) {
		struct hs_amount_rule *r = &cfg->rules[cfg->n_rules];

		r->amount = atoll(name);
		if (hs_fault_parse(value, &r->fault))
			return 0;
		cfg->n_rules++;
		return 1;
	}
	return 0;
}

int hs_config_load(const char *path, struct hs_config *cfg)
{
	int line;

	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
	snprintf(cfg->listen_port, sizeof(cfg->listen_port), "0");
	snprintf(cfg->acquirer_id, sizeof(cfg->acquirer_id), "00000001");
	line = ini_parse(path, on_key, cfg);
	if (line) {
		fprintf(stderr, "paycard-hostsim: %s: %s %d\n", path,
			line < 0 ? "cannot read file" : "bad entry at line", line);
		return -1;
	}
	for (size_t i = 0; i < cfg->n_terminals; i++) {
		if (!cfg->terminals[i].mid[0] || !cfg->terminals[i].has_tmk) {
			fprintf(stderr, "paycard-hostsim: terminal %s needs merchant"
				" and master_key\n",
				cfg->terminals[i].tid);
			return -1;
		}
	}
	return 0;
}

struct hs_terminal *hs_terminal_find(struct hs_config *cfg, const char *tid)
{
	for (size_t i = 0; i < cfg->n_terminals; i++)
		if (!strcmp(cfg->terminals[i].tid, tid))
			return &cfg->terminals[i];
	return NULL;
}

struct hs_card *hs_card_find(struct hs_config *cfg, const char *pan)
{
	for (size_t i = 0; i < cfg->n_cards; i++)
		if (!strcmp(cfg->cards[i].pan, pan))
			return &cfg->cards[i];
	return NULL;
}
