// SPDX-License-Identifier: MIT
/*
 * paycard-tool bench: operations per second of the library beside the raw
 * OpenSSL cost of the block cipher calls each operation makes.
 *
 * "raw" repeats exactly those calls (EVP_CipherInit_ex2 with each key,
 * EVP_CipherUpdate over the same lengths) on one reused EVP_CIPHER_CTX with
 * ciphers fetched once: the least any implementation on EVP must pay.  The
 * ratio lib time / raw time is the library's overhead (target <= 1.3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>
#include "crypto/dukpt.h"
#include "crypto/mac.h"
#include "crypto/pinblock.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"

struct raw {
	EVP_CIPHER_CTX *ctx;
	EVP_CIPHER *des2_ecb, *des2_cbc, *aes128_ecb;
};

static uint8_t key16[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
			     0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10 };
static uint8_t message[200];
static volatile uint8_t sink;	/* keeps results observable */

static void raw_call(struct raw *r, const EVP_CIPHER *c, const uint8_t *key,
		     const uint8_t *iv, const uint8_t *in, size_t len)
{
	uint8_t out[256];
	int outl;

	EVP_CipherInit_ex2(r->ctx, c, key, iv, 1, NULL);
	EVP_CipherUpdate(r->ctx, out, &outl, in, (int)len);
	sink ^= out[0];
}

/* ---- the operations: library and raw ---- */

/* TDES DUKPT at counter 1FF800 (10 one bits, the longest chain): IPEK is 2
 * TDES blocks, each of the 10 steps 2 single-DES blocks. */
static const uint8_t tdes_ksn[10] = { 0xFF, 0xFF, 0x98, 0x76, 0x54, 0x32,
				      0x10, 0xFF, 0xF8, 0x00 };

static void lib_dukpt_tdes(void)
{
	uint8_t key[16];

	pcc_dukpt_tdes_derive(key16, tdes_ksn, PCC_DUKPT_PIN, key);
	sink ^= key[0];
}

static void raw_dukpt_tdes(struct raw *r)
{
	uint8_t single[16];

	memcpy(single, key16, 8);
	memcpy(single + 8, key16, 8);
	for (int i = 0; i < 2; i++)
		raw_call(r, r->des2_ecb, key16, NULL, tdes_ksn, 8);
	for (int i = 0; i < 20; i++)
		raw_call(r, r->des2_ecb, single, NULL, tdes_ksn, 8);
}

/* AES-128 DUKPT at counter FFFF0000 (16 one bits): initial key, 16 steps,
 * working key: 18 AES-128 blocks under 18 keys. */
static const uint8_t aes_ksn[12] = { 0x12, 0x34, 0x56, 0x78, 0x90, 0x12,
				     0x34, 0x56, 0xFF, 0xFF, 0x00, 0x00 };

static void lib_dukpt_aes(void)
{
	uint8_t key[16];

	pcc_dukpt_aes_derive(key16, 16, aes_ksn, PCC_DUKPT_PIN,
			     PCC_DUKPT_AES128, key);
	sink ^= key[0];
}

static void raw_dukpt_aes(struct raw *r)
{
	for (int i = 0; i < 18; i++)
		raw_call(r, r->aes128_ecb, key16, NULL, message, 16);
}

static void lib_pin_iso0(void)
{
	uint8_t out[8];

	pcc_pinblock_encrypt(PCC_PIN_ISO0, key16, 16, "1234", "4012345678909",
			     out);
	sink ^= out[0];
}

static void raw_pin_iso0(struct raw *r)
{
	raw_call(r, r->des2_ecb, key16, NULL, message, 8);
}

static void lib_pin_iso4(void)
{
	uint8_t out[16];

	pcc_pinblock_encrypt(PCC_PIN_ISO4, key16, 16, "1234",
			     "4111111111111111", out);
	sink ^= out[0];
}

/* format 4: one key, two AES blocks */
static void raw_pin_iso4(struct raw *r)
{
	uint8_t out[16];
	int outl;

	EVP_CipherInit_ex2(r->ctx, r->aes128_ecb, key16, NULL, 1, NULL);
	EVP_CipherUpdate(r->ctx, out, &outl, message, 16);
	EVP_CipherUpdate(r->ctx, out, &outl, out, 16);
	sink ^= out[0];
}

static void lib_cup_mac(void)
{
	uint8_t mac[8];

	pcc_mac_cup_ecb(key16, 16, message, sizeof(message), mac);
	sink ^= mac[0];
}

/* one key, two TDES blocks */
static void raw_cup_mac(struct raw *r)
{
	uint8_t out[8];
	int outl;

	EVP_CipherInit_ex2(r->ctx, r->des2_ecb, key16, NULL, 1, NULL);
	EVP_CipherUpdate(r->ctx, out, &outl, message, 8);
	EVP_CipherUpdate(r->ctx, out, &outl, out, 8);
	sink ^= out[0];
}

static void lib_retail_mac(void)
{
	static const struct pcc_mac_spec spec = {
		PCC_MAC_ISO9797_ALG3, PCC_ALG_TDES, PCC_PAD_METHOD1 };
	uint8_t mac[8];

	pcc_mac(&spec, key16, 16, message, sizeof(message), mac, 8);
	sink ^= mac[0];
}

/* 200 bytes = 25 blocks: single-DES CBC over 24, one 2-key TDES block */
static void raw_retail_mac(struct raw *r)
{
	static const uint8_t iv[8];
	uint8_t single[16];

	memcpy(single, key16, 8);
	memcpy(single + 8, key16, 8);
	raw_call(r, r->des2_cbc, single, iv, message, 192);
	raw_call(r, r->des2_ecb, key16, NULL, message + 192, 8);
}

static const struct bench_op {
	const char *name;
	void (*lib)(void);
	void (*raw)(struct raw *r);
} ops[] = {
	{ "DUKPT TDES derive (counter 1FF800)", lib_dukpt_tdes,
	  raw_dukpt_tdes },
	{ "DUKPT AES-128 derive (counter FFFF0000)", lib_dukpt_aes,
	  raw_dukpt_aes },
	{ "PIN block ISO 0 encrypt (TDES)", lib_pin_iso0, raw_pin_iso0 },
	{ "PIN block ISO 4 encrypt (AES-128)", lib_pin_iso4, raw_pin_iso4 },
	{ "UnionPay ECB MAC, 200 bytes", lib_cup_mac, raw_cup_mac },
	{ "Retail MAC (X9.19), 200 bytes", lib_retail_mac, raw_retail_mac },
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Rate of @op (library, or raw when @r is set) over about @seconds. */
static double slice_rate(const struct bench_op *op, struct raw *r,
			 double seconds)
{
	double start = now(), spent;
	long n = 0;

	do {
		for (int i = 0; i < 32; i++) {
			if (r)
				op->raw(r);
			else
				op->lib();
		}
		n += 32;
		spent = now() - start;
	} while (spent < seconds);
	return n / spent;
}

/*
 * Library and raw measured in alternating slices, each side keeping its
 * best slice: on a machine shared with other jobs the least disturbed
 * slice is the closest to the true cost, and alternation exposes both
 * sides to the same load.
 */
static void measure(const struct bench_op *op, struct raw *r, double seconds,
		    double *lib_rate, double *raw_rate)
{
	enum { SLICES = 20 };

	*lib_rate = *raw_rate = 0;
	for (int i = 0; i < SLICES; i++) {
		double lib = slice_rate(op, NULL, seconds / SLICES);
		double raw = slice_rate(op, r, seconds / SLICES);

		if (lib > *lib_rate)
			*lib_rate = lib;
		if (raw > *raw_rate)
			*raw_rate = raw;
	}
}

static bool raw_open(struct raw *r)
{
	r->ctx = EVP_CIPHER_CTX_new();
	r->des2_ecb = EVP_CIPHER_fetch(NULL, "DES-EDE-ECB", NULL);
	r->des2_cbc = EVP_CIPHER_fetch(NULL, "DES-EDE-CBC", NULL);
	r->aes128_ecb = EVP_CIPHER_fetch(NULL, "AES-128-ECB", NULL);
	return r->ctx && r->des2_ecb && r->des2_cbc && r->aes128_ecb;
}

static void raw_close(struct raw *r)
{
	EVP_CIPHER_CTX_free(r->ctx);
	EVP_CIPHER_free(r->des2_ecb);
	EVP_CIPHER_free(r->des2_cbc);
	EVP_CIPHER_free(r->aes128_ecb);
}

int tool_bench(int argc, char **argv)
{
	struct tool_option opts[] = { { "seconds", true, NULL } };
	const char *seconds_text;
	double seconds = 0.5;
	struct raw r;

	if (!args_parse("bench", argc, argv, 1, opts, ARRAY_LEN(opts)))
		return 2;
	seconds_text = args_get(opts, ARRAY_LEN(opts), "seconds");
	if (seconds_text) {
		seconds = strtod(seconds_text, NULL);
		if (seconds <= 0 || seconds > 60)
			return tool_bad_input("bench", "--seconds",
					      "must be in (0, 60]");
	}
	for (size_t i = 0; i < sizeof(message); i++)
		message[i] = (uint8_t)('0' + i % 10);
	if (!raw_open(&r)) {
		raw_close(&r);
		return tool_fail("bench", NULL, PCC_E_CIPHER);
	}
	if (tool_json)
		fputs("[", stdout);
	else
		printf("%-42s %12s %12s %8s\n", "operation", "lib ops/s",
		       "raw ops/s", "lib/raw");
	for (size_t i = 0; i < ARRAY_LEN(ops); i++) {
		double lib, raw;

		measure(&ops[i], &r, seconds, &lib, &raw);

		if (tool_json)
			printf("%s{\"operation\":\"%s\",\"lib_ops_per_s\":%.0f,"
			       "\"raw_ops_per_s\":%.0f,\"ratio\":%.2f}",
			       i ? "," : "", ops[i].name, lib, raw, raw / lib);
		else
			printf("%-42s %12.0f %12.0f %7.2fx\n", ops[i].name,
			       lib, raw, raw / lib);
	}
	if (tool_json)
		fputs("]\n", stdout);
	raw_close(&r);
	return 0;
}
