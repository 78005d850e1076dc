// SPDX-License-Identifier: MIT
#include "paycardd/session/emv_params.h"

#include <errno.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/hex.h"

/*
 * An attended online-only terminal (9F35 22) in China: country and
 * currency 0156; 9F33: IC reader, online enciphered PIN and "no CVM",
 * SDA, DDA and CDA (20 48 C8; offline PIN waits for the secure PIN pad);
 * terminal action codes that send everything online except what the card
 * itself must deny; the default DDOL 9F37 04 (Book 3 10.3).
 */
static const uint8_t default_ddol[] = { 0x9f, 0x37, 0x04 };

static const struct emv_terminal_config terminal = {
	.country = { 0x01, 0x56 },
	.currency = { 0x01, 0x56 },
	.capabilities = { 0x20, 0x48, 0xc8 },
	.add_capabilities = { 0x60, 0x00, 0xf0, 0xa0, 0x01 },
	.terminal_type = 0x22,
	.app_version = { 0x00, 0x30 },
	.ttq = { 0x26, 0x00, 0x00, 0x80 },
	.tac = {
		.denial = { 0x00, 0x40, 0x00, 0x00, 0x00 },
		.online = { 0xff, 0xff, 0xff, 0xff, 0xff },
		.dflt = { 0xff, 0xff, 0xff, 0xff, 0xff },
	},
	.default_ddol = default_ddol,
	.default_ddol_len = sizeof(default_ddol),
};

#define MAX_CA_KEYS	32

static struct {
	struct emv_capk key[MAX_CA_KEYS];
	struct emv_date expiry[MAX_CA_KEYS];
	size_t n;
} ca_keys;

static bool today(struct emv_date *d)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return false;
	*d = (struct emv_date){ (uint8_t)(tm.tm_year % 100),
				(uint8_t)(tm.tm_mon + 1), (uint8_t)tm.tm_mday };
	return true;
}

/* The key for RID and index, unless it has expired. */
static const struct emv_capk *ca_key_lookup(void *ctx, const uint8_t rid[5],
					    uint8_t index)
{
	struct emv_date now;

	if (!today(&now))
		return NULL;
	for (size_t i = 0; i < ca_keys.n; i++)
		if (!memcmp(ca_keys.key[i].rid, rid, 5) &&
		    ca_keys.key[i].index == index &&
		    emv_date_compare(&now, &ca_keys.expiry[i]) <= 0)
			return &ca_keys.key[i];
	return NULL;
}

int emv_params_load_ca_keys(const char *path, char *err, size_t err_len)
{
	char line[1024];
	uint8_t rec[512];
	int lineno = 0, rc = 0;
	FILE *f = fopen(path, "r");

	ca_keys.n = 0;
	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "#\r\n");
		long n;
		enum emv_status st;

		lineno++;
		while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		if (!len)
			continue;
		n = hex_decode(line, len, rec, sizeof(rec));
		st = n < 0 ? EMV_E_DATA_FORMAT :
		     ca_keys.n == MAX_CA_KEYS ? EMV_E_STORE_FULL :
		     emv_capk_parse(rec, (size_t)n, &ca_keys.key[ca_keys.n],
				    &ca_keys.expiry[ca_keys.n]);
		if (st) {
			snprintf(err, err_len, "%s:%d: %s", path, lineno,
				 n < 0 ? "not hex" : emv_strerror(st));
			rc = -1;
		} else {
			ca_keys.n++;
		}
	}
	fclose(f);
	if (rc)
		ca_keys.n = 0;
	return rc;
}

void emv_params_terminal(const char *serial, struct emv_terminal_config *out)
{
	size_t len = strlen(serial);

	*out = terminal;
	/* the AID list lives in the EMV library: not a constant expression */
	out->aids = emv_default_aids;
	out->n_aids = emv_n_default_aids;
	out->capk_lookup = ca_key_lookup;
	/* 9F1E (an 8): the serial's last 8 characters, 0-padded in front */
	memset(out->ifd_serial, '0', sizeof(out->ifd_serial));
	if (len > sizeof(out->ifd_serial)) {
		serial += len - sizeof(out->ifd_serial);
		len = sizeof(out->ifd_serial);
	}
	memcpy(out->ifd_serial + sizeof(out->ifd_serial) - len, serial, len);
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
	uint8_t rn;

	memset(out, 0, sizeof(*out));
	if (!localtime_r(&now, &tm) || RAND_bytes(out->unpredictable, 4) != 1 ||
	    RAND_bytes(&rn, 1) != 1)
		return false;
	/* random transaction selection's number, 1..99 (Book 3 10.6.2) */
	out->random_number = (uint8_t)(1 + rn % 99);
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
