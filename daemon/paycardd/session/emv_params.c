// SPDX-License-Identifier: MIT
#include "paycardd/session/emv_params.h"

#include <openssl/rand.h>
#include <string.h>
#include <time.h>

/* An attended online-only terminal (9F35 22) in China: country and
 * currency 0156, IC reader with online enciphered PIN and "no CVM"
 * (9F33 20 48 08); terminal action codes that send everything online
 * except what the card itself must deny. */
static const struct emv_terminal_config terminal = {
	.country = { 0x01, 0x56 },
	.currency = { 0x01, 0x56 },
	.capabilities = { 0x20, 0x48, 0x08 },
	.add_capabilities = { 0x60, 0x00, 0xf0, 0xa0, 0x01 },
	.terminal_type = 0x22,
	.app_version = { 0x00, 0x30 },
	.ttq = { 0x26, 0x00, 0x00, 0x80 },
	.ifd_serial = { 'P', 'A', 'Y', 'C', 'A', 'R', 'D', '1' },
	.tac = {
		.denial = { 0x00, 0x40, 0x00, 0x00, 0x00 },
		.online = { 0xff, 0xff, 0xff, 0xff, 0xff },
		.dflt = { 0xff, 0xff, 0xff, 0xff, 0xff },
	},
};

static struct emv_terminal_config config;

const struct emv_terminal_config *emv_params_terminal(void)
{
	/* the AID list lives in the EMV library: not a constant expression */
	if (!config.aids) {
		config = terminal;
		config.aids = emv_default_aids;
		config.n_aids = emv_n_default_aids;
	}
	return &config;
}

static uint8_t bcd(unsigned v)
{
	return (uint8_t)((v / 10 % 10) << 4 | v % 10);
}

/* 9C per ISO 8583 processing code: goods 00, cash/balance 31,
 * pre-authorisation 03 (UnionPay), refund 20. */
static uint8_t type_9c(enum txn_kind kind)
{
	switch (kind) {
	case TXN_BALANCE:
		return 0x31;
	case TXN_PREAUTH:
		return 0x03;
	case TXN_REFUND:
		return 0x20;
	default:
		return 0x00;
	}
}

bool emv_params_txn(const struct txn_request *req, uint32_t sequence,
		    struct emv_txn_params *out)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(out, 0, sizeof(*out));
	if (!localtime_r(&now, &tm) || RAND_bytes(out->unpredictable, 4) != 1)
		return false;
	out->amount = req->kind == TXN_BALANCE ? 0 : req->amount;
	out->type = type_9c(req->kind);
	out->date[0] = bcd((unsigned)tm.tm_year % 100);
	out->date[1] = bcd((unsigned)tm.tm_mon + 1);
	out->date[2] = bcd((unsigned)tm.tm_mday);
	out->time[0] = bcd((unsigned)tm.tm_hour);
	out->time[1] = bcd((unsigned)tm.tm_min);
	out->time[2] = bcd((unsigned)tm.tm_sec);
	out->sequence = sequence % 100000000u;
	return true;
}

bool emv_params_wants_arqc(enum txn_kind kind)
{
	return kind == TXN_SALE || kind == TXN_BALANCE || kind == TXN_PREAUTH;
}
