// SPDX-License-Identifier: MIT
/* Block ciphers over OpenSSL 3 EVP, and the internal session helpers. */
#include <pthread.h>
#include <string.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include "crypto/evp_session.h"

/* Fetched once: [TDES 2-key, TDES 3-key, AES-128/192/256, SM4][ECB, CBC]. */
enum cipher_slot {
	SLOT_TDES2, SLOT_TDES3, SLOT_AES128, SLOT_AES192, SLOT_AES256,
	SLOT_SM4, SLOT_COUNT
};
static const char *const cipher_names[SLOT_COUNT][2] = {
	[SLOT_TDES2] = { "DES-EDE-ECB", "DES-EDE-CBC" },
	[SLOT_TDES3] = { "DES-EDE3-ECB", "DES-EDE3-CBC" },
	[SLOT_AES128] = { "AES-128-ECB", "AES-128-CBC" },
	[SLOT_AES192] = { "AES-192-ECB", "AES-192-CBC" },
	[SLOT_AES256] = { "AES-256-ECB", "AES-256-CBC" },
	[SLOT_SM4] = { "SM4-ECB", "SM4-CBC" },
};
static EVP_CIPHER *ciphers[SLOT_COUNT][2];
static EVP_MAC *cmac;
static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;

static void fetch_all(void)
{
	for (int i = 0; i < SLOT_COUNT; i++)
		for (int m = 0; m < 2; m++)
			ciphers[i][m] = EVP_CIPHER_fetch(NULL,
							 cipher_names[i][m],
							 NULL);
	cmac = EVP_MAC_fetch(NULL, "CMAC", NULL);
}

static int slot_of(enum pcc_alg alg, size_t key_len)
{
	switch (alg) {
	case PCC_ALG_TDES:
		return key_len == 8 || key_len == 16 ? SLOT_TDES2 :
		       key_len == 24 ? SLOT_TDES3 : -1;
	case PCC_ALG_AES:
		return key_len == 16 ? SLOT_AES128 : key_len == 24 ? SLOT_AES192 :
		       key_len == 32 ? SLOT_AES256 : -1;
	case PCC_ALG_SM4:
		return key_len == 16 ? SLOT_SM4 : -1;
	}
	return -1;
}

size_t pcc_block_size(enum pcc_alg alg)
{
	switch (alg) {
	case PCC_ALG_TDES:
		return 8;
	case PCC_ALG_AES:
	case PCC_ALG_SM4:
		return 16;
	}
	return 0;
}

bool pcc_key_length_ok(enum pcc_alg alg, size_t key_len)
{
	return slot_of(alg, key_len) >= 0;
}

const char *pcc_alg_name(enum pcc_alg alg)
{
	switch (alg) {
	case PCC_ALG_TDES:
		return "tdes";
	case PCC_ALG_AES:
		return "aes";
	case PCC_ALG_SM4:
		return "sm4";
	}
	return "unknown";
}

/* The fetched cipher for @alg/@key_len/@cbc, NULL if the length is bad.
 * An 8-byte TDES key maps to 2-key DES-EDE, fed K|K. */
static const EVP_CIPHER *evp_cipher(enum pcc_alg alg, size_t key_len,
				    bool cbc)
{
	int slot = slot_of(alg, key_len);

	if (slot < 0)
		return NULL;
	pthread_once(&fetch_once, fetch_all);
	return ciphers[slot][cbc];
}

enum pcc_status pcc_session_open(struct pcc_session *s)
{
	s->ctx = EVP_CIPHER_CTX_new();
	return s->ctx ? PCC_OK : PCC_E_MEMORY;
}

void pcc_session_close(struct pcc_session *s)
{
	EVP_CIPHER_CTX_free(s->ctx);	/* cleanses the key schedule */
	s->ctx = NULL;
}

enum pcc_status pcc_session_start(struct pcc_session *s, enum pcc_alg alg,
				  const uint8_t *key, size_t key_len,
				  bool encrypt, const uint8_t *iv)
{
	const EVP_CIPHER *cipher = evp_cipher(alg, key_len, iv != NULL);
	uint8_t single[16];	/* K|K for a single-length TDES key */
	int ok;

	if (!cipher)	/* a valid length whose cipher failed to fetch */
		return pcc_key_length_ok(alg, key_len) ? PCC_E_ALGORITHM :
		       PCC_E_KEY_LENGTH;
	if (alg == PCC_ALG_TDES && key_len == 8) {
		memcpy(single, key, 8);
		memcpy(single + 8, key, 8);
		key = single;
	}
	/* Padding only matters when decrypting (EVP holds back the last
	 * block); setting it costs a provider parameter call, so only then. */
	ok = EVP_CipherInit_ex2(s->ctx, cipher, key, iv, encrypt, NULL) &&
	     (encrypt || EVP_CIPHER_CTX_set_padding(s->ctx, 0));
	if (key == single)
		OPENSSL_cleanse(single, sizeof(single));
	return ok ? PCC_OK : PCC_E_CIPHER;
}

enum pcc_status pcc_session_update(struct pcc_session *s, const uint8_t *in,
				   uint8_t *out, size_t len)
{
	int outl = 0;

	if (len > INT32_MAX)
		return PCC_E_DATA_LENGTH;
	if (!EVP_CipherUpdate(s->ctx, out, &outl, in, (int)len) ||
	    (size_t)outl != len)
		return PCC_E_CIPHER;
	return PCC_OK;
}

static enum pcc_status session_run(struct pcc_session *s, enum pcc_alg alg,
				   const uint8_t *key, size_t key_len,
				   bool encrypt, const uint8_t *iv,
				   const uint8_t *in, uint8_t *out,
				   size_t len)
{
	enum pcc_status st;

	if (!pcc_key_length_ok(alg, key_len))
		return PCC_E_KEY_LENGTH;
	if (len % pcc_block_size(alg))
		return PCC_E_DATA_LENGTH;
	st = pcc_session_start(s, alg, key, key_len, encrypt, iv);
	return st ? st : pcc_session_update(s, in, out, len);
}

enum pcc_status pcc_session_ecb(struct pcc_session *s, enum pcc_alg alg,
				const uint8_t *key, size_t key_len,
				bool encrypt, const uint8_t *in,
				uint8_t *out, size_t len)
{
	return session_run(s, alg, key, key_len, encrypt, NULL, in, out, len);
}

/* One-shot wrapper: open a session, run one call, close. */
static enum pcc_status one_shot(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, bool encrypt,
				const uint8_t *iv, const uint8_t *in,
				uint8_t *out, size_t len)
{
	struct pcc_session s;
	enum pcc_status st;

	if (!key || (len && (!in || !out)))
		return PCC_E_ARGUMENT;
	st = pcc_session_open(&s);
	if (st == PCC_OK)
		st = session_run(&s, alg, key, key_len, encrypt, iv, in, out,
				 len);
	pcc_session_close(&s);
	return st;
}

enum pcc_status pcc_ecb_encrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *in,
				uint8_t *out, size_t len)
{
	return one_shot(alg, key, key_len, true, NULL, in, out, len);
}

enum pcc_status pcc_ecb_decrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *in,
				uint8_t *out, size_t len)
{
	return one_shot(alg, key, key_len, false, NULL, in, out, len);
}

enum pcc_status pcc_cbc_encrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *iv,
				const uint8_t *in, uint8_t *out, size_t len)
{
	if (!iv)
		return PCC_E_ARGUMENT;
	return one_shot(alg, key, key_len, true, iv, in, out, len);
}

enum pcc_status pcc_cbc_decrypt(enum pcc_alg alg, const uint8_t *key,
				size_t key_len, const uint8_t *iv,
				const uint8_t *in, uint8_t *out, size_t len)
{
	if (!iv)
		return PCC_E_ARGUMENT;
	return one_shot(alg, key, key_len, false, iv, in, out, len);
}

enum pcc_status pcc_cmac_full(enum pcc_alg alg, const uint8_t *key,
			      size_t key_len, const uint8_t *msg,
			      size_t msg_len, uint8_t *mac)
{
	const EVP_CIPHER *cipher = evp_cipher(alg, key_len, true);
	uint8_t tdes[24];	/* CMAC runs TDES as 3-key DES-EDE3-CBC */
	size_t outl = 0, bs = pcc_block_size(alg);
	EVP_MAC_CTX *ctx;
	OSSL_PARAM params[2];
	int ok;

	if (!cipher || !cmac)
		return pcc_key_length_ok(alg, key_len) ? PCC_E_ALGORITHM :
		       PCC_E_KEY_LENGTH;
	if (alg == PCC_ALG_TDES) {
		memcpy(tdes, key, key_len == 24 ? 24 : 16);
		if (key_len != 24)	/* K|K|K or K1|K2|K1 */
			memcpy(tdes + 16, key, 8);
		if (key_len == 8)
			memcpy(tdes + 8, key, 8);
		key = tdes;
		key_len = 24;
		cipher = evp_cipher(alg, 24, true);
		if (!cipher) {
			OPENSSL_cleanse(tdes, sizeof(tdes));
			return PCC_E_ALGORITHM;
		}
	}
	ctx = EVP_MAC_CTX_new(cmac);
	if (!ctx) {
		OPENSSL_cleanse(tdes, sizeof(tdes));
		return PCC_E_MEMORY;
	}
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_CIPHER,
		(char *)EVP_CIPHER_get0_name(cipher), 0);
	params[1] = OSSL_PARAM_construct_end();
	ok = EVP_MAC_init(ctx, key, key_len, params) &&
	     EVP_MAC_update(ctx, msg, msg_len) &&
	     EVP_MAC_final(ctx, mac, &outl, bs);
	EVP_MAC_CTX_free(ctx);
	OPENSSL_cleanse(tdes, sizeof(tdes));
	return ok && outl == bs ? PCC_OK : PCC_E_CIPHER;
}

enum pcc_status pcc_des_parity_check(const uint8_t *key, size_t key_len)
{
	if (!key)
		return PCC_E_ARGUMENT;
	for (size_t i = 0; i < key_len; i++)
		if (!(__builtin_popcount(key[i]) & 1))
			return PCC_E_PARITY;
	return PCC_OK;
}

void pcc_des_parity_set(uint8_t *key, size_t key_len)
{
	for (size_t i = 0; i < key_len; i++)
		if (!(__builtin_popcount(key[i]) & 1))
			key[i] ^= 1;
}

bool pcc_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

void pcc_wipe(void *secret, size_t len)
{
	OPENSSL_cleanse(secret, len);
}
