/* SPDX-License-Identifier: MIT */
/*
 * paycard-hostsim: an acquirer host for tests.  It speaks the UnionPay
 * ISO 8583 dialect over TCP or TLS, signs terminals in with fresh working
 * keys, checks MACs and PINs, keeps balances and a SQLite ledger, settles
 * batches, and misbehaves on request (fault modes) so every failure a
 * terminal must survive can be produced on purpose.
 */
#ifndef PAYCARD_HOSTSIM_H
#define PAYCARD_HOSTSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iso8583/iso8583.h"

#define HS_MAX_TERMINALS	16
#define HS_MAX_CARDS		64
#define HS_MAX_RULES		64
#define HS_FAULT_TEXT		40

enum hs_fault_kind {
	HS_FAULT_NONE = 0,
	HS_FAULT_DELAY,		/* answer after delay_ms */
	HS_FAULT_NO_ANSWER,	/* process, never answer, keep the connection */
	HS_FAULT_DISCONNECT,	/* process, close without answering */
	HS_FAULT_RESET,		/* process, close with a TCP reset */
	HS_FAULT_GARBAGE,	/* answer a well-framed frame of random bytes */
	HS_FAULT_BAD_MAC,	/* answer with a corrupted MAC */
	HS_FAULT_MERCHANT,	/* answer under another merchant ID */
	HS_FAULT_TERMINAL,	/* answer under another terminal ID */
	HS_FAULT_STAN_DUP,	/* answer twice */
	HS_FAULT_STAN_OTHER,	/* answer with another STAN */
	HS_FAULT_RC,		/* decline with the chosen response code */
};

struct hs_fault {
	enum hs_fault_kind kind;
	int delay_ms;
	char value[16];		/* merchant/terminal ID, response code */
};

struct hs_terminal {
	char tid[9];
	char mid[16];
	char name[41];
	uint8_t tmk[16];
	bool has_tmk;
	uint8_t bdk[16];
	bool has_bdk;
	/* session, set by sign-in */
	bool signed_in;
	uint8_t pik[16], mak[16], tdk[16];
	size_t key_len;		/* PIK/TDK: 8 (60.3 = 001) or 16 (003/004) */
	size_t mak_len;		/* 8: the MAK is single-length in every set */
	char batch[7];
};

struct hs_card {
	char pan[20];
	char pin[13];
	long long balance;	/* opening balance, minor units */
	bool credit;
	struct hs_fault fault;
	uint8_t issuer_key[16];	/* EMV issuer master key (AC), for ARQC/ARPC */
	bool has_issuer_key;
};

struct hs_amount_rule {
	long long amount;
	struct hs_fault fault;
};

struct hs_config {
	char listen_host[64];
	char listen_port[8];
	char ledger[256];
	char acquirer_id[12];
	char message_table[256];	/* tests/conformance/unionpay-table.txt */
	char tls_cert[256], tls_key[256], tls_client_ca[256];
	bool tls;
	struct hs_terminal terminals[HS_MAX_TERMINALS];
	size_t n_terminals;
	struct hs_card cards[HS_MAX_CARDS];
	size_t n_cards;
	struct hs_amount_rule rules[HS_MAX_RULES];
	size_t n_rules;
	struct hs_fault global_fault;
};

/* config.c */
int hs_config_load(const char *path, struct hs_config *cfg);
int hs_fault_parse(const char *spec, struct hs_fault *f);
struct hs_terminal *hs_terminal_find(struct hs_config *cfg, const char *tid);
struct hs_card *hs_card_find(struct hs_config *cfg, const char *pan);

/* The answer to one request: what to send and how to misbehave. */
struct hs_reply {
	bool send;		/* false: no answer at all */
	struct hs_fault fault;
	uint8_t frame[4096];
	size_t len;
};

struct hs_ledger;

/* host.c: one request frame in, the reply out. */
struct hs_table;

struct hs_host {
	struct hs_config *cfg;
	struct hs_ledger *ledger;
	struct hs_table *table;		/* NULL: requests are not checked */
	unsigned long rrn_counter;
};
void hs_handle_frame(struct hs_host *host, const uint8_t *frame, size_t len,
		     struct hs_reply *reply);

#endif
