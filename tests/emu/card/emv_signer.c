// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "common/hex.h"
#include "emv_signer.h"

int signer_generate(struct signer_key *k, int bits)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *e = BN_new(), *n = NULL, *d = NULL;
	EVP_PKEY *key = NULL;
	int rc = -1;

	if (bits < 512 || bits > 8 * SIGNER_MAX_KEY || bits % 8)
		goto out;
	k->len = (size_t)bits / 8;
	if (ctx && e && BN_set_word(e, 3) &&
	    EVP_PKEY_keygen_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) > 0 &&
	    EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) > 0 &&
	    EVP_PKEY_generate(ctx, &key) > 0 &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d) &&
	    BN_bn2binpad(n, k->n, (int)k->len) == (int)k->len &&
	    BN_bn2binpad(d, k->d, (int)k->len) == (int)k->len)
		rc = 0;
out:
	BN_clear_free(d);
	BN_free(n);
	BN_free(e);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

int signer_load_pem(struct signer_key *k, const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	BIGNUM *n = NULL, *d = NULL, *e = NULL;
	int rc = -1;

	if (f)
		fclose(f);
	if (key && EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_D, &d) &&
	    EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) &&
	    BN_is_word(e, 3) && BN_num_bytes(n) <= SIGNER_MAX_KEY) {
		k->len = (size_t)BN_num_bytes(n);
		if (BN_bn2binpad(n, k->n, (int)k->len) == (int)k->len &&
		    BN_bn2binpad(d, k->d, (int)k->len) == (int)k->len)
			rc = 0;
	}
	BN_clear_free(d);
	BN_free(n);
	BN_free(e);
	EVP_PKEY_free(key);
	return rc;
}

/* The raw private-key operation of Book 2: @x is already formatted. */
static int sign_raw(const struct signer_key *k, const uint8_t *x,
		    uint8_t *out)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = BN_bin2bn(k->n, (int)k->len, NULL);
	BIGNUM *d = BN_bin2bn(k->d, (int)k->len, NULL);
	BIGNUM *e = BN_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY_CTX *sctx = NULL;
	EVP_PKEY *key = NULL;
	size_t len = k->len;
	int rc = -1;

	if (!bld || !n || !d || !e || !ctx || !BN_set_word(e, 3) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	if (!params || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0)
		goto out;
	sctx = EVP_PKEY_CTX_new(key, NULL);
	if (sctx && EVP_PKEY_sign_init(sctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(sctx, RSA_NO_PADDING) > 0 &&
	    EVP_PKEY_sign(sctx, out, &len, x, k->len) > 0 && len == k->len)
		rc = 0;
out:
	EVP_PKEY_CTX_free(sctx);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_clear_free(d);
	BN_free(n);
	BN_free(e);
	return rc;
}

/* SHA-1 of up to four parts into the 20 bytes before the trailer, then
 * the trailer, then the signature. */
static int finish(const struct signer_key *k, uint8_t *x, size_t n,
		  const struct signer_fields *f, const uint8_t *a, size_t al,
		  const uint8_t *b, size_t bl, const uint8_t *c, size_t cl,
		  const uint8_t *d, size_t dl, uint8_t *out)
{
	const struct { const uint8_t *p; size_t len; } parts[] = {
		{ a, al }, { b, bl }, { c, cl }, { d, dl },
	};
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestInit_ex(md, EVP_sha1(), NULL) > 0;

	for (size_t i = 0; ok && i < 4; i++)
		ok = !parts[i].len ||
		     EVP_DigestUpdate(md, parts[i].p, parts[i].len) > 0;
	if (ok && f->wrong_hash)
		ok = EVP_DigestUpdate(md, "!", 1) > 0;
	ok = ok && EVP_DigestFinal_ex(md, x + n - 21, NULL) > 0;
	EVP_MD_CTX_free(md);
	if (!ok)
		return -1;
	x[n - 1] = 0xbc;
	return sign_raw(k, x, out);
}

static void header(uint8_t *x, size_t n, uint8_t format,
		   const struct signer_fields *f)
{
	memset(x, 0xbb, n);
	x[0] = 0x6a;
	x[1] = f->format ? f->format : format;
}

/* Book 2 Table 6 (signed by the CA). */
int signer_issuer_cert(const struct signer_key *ca,
		       const struct signer_key *issuer,
		       const struct signer_fields *f, uint8_t *cert,
		       uint8_t *rem, size_t *rem_len)
{
	uint8_t x[SIGNER_MAX_KEY], exp = 3;
	size_t room = ca->len - 36;

	if (ca->len < 37 || issuer->len <= room)
		return -1;	/* these test keys always need a remainder */
	header(x, ca->len, 0x02, f);
	if (hex_decode(f->id, 8, x + 2, 4) != 4 ||
	    hex_decode(f->expiry, 4, x + 6, 2) != 2)
		return -1;
	memcpy(x + 8, f->serial, 3);
	x[11] = f->hash_alg;
	x[12] = 0x01;
	x[13] = (uint8_t)issuer->len;
	x[14] = 1;
	memcpy(x + 15, issuer->n, room);
	*rem_len = issuer->len - room;
	memcpy(rem, issuer->n + room, *rem_len);
	return finish(ca, x, ca->len, f, x + 1, 14 + room, rem, *rem_len,
		      &exp, 1, NULL, 0, cert);
}

/* Book 2 Table 7 (signed by the issuer). */
int signer_ssad(const struct signer_key *issuer,
		const struct signer_fields *f, const uint8_t dac[2],
		const uint8_t *static_data, size_t static_len, uint8_t *out)
{
	uint8_t x[SIGNER_MAX_KEY];
	size_t n = issuer->len;

	header(x, n, 0x03, f);
	x[2] = f->hash_alg;
	memcpy(x + 3, dac, 2);
	return finish(issuer, x, n, f, x + 1, n - 22, static_data, static_len,
		      NULL, 0, NULL, 0, out);
}

/* Book 2 Table 14 (signed by the issuer). */
int signer_icc_cert(const struct signer_key *issuer,
		    const struct signer_key *icc,
		    const struct signer_fields *f,
		    const uint8_t *static_data, size_t static_len,
		    uint8_t *cert, uint8_t *rem, size_t *rem_len)
{
	uint8_t x[SIGNER_MAX_KEY], exp = 3;
	size_t n = issuer->len, room = n - 42, digits = strlen(f->id);
	char pan[21];

	if (n < 43 || icc->len <= room || digits > 19)
		return -1;
	header(x, n, 0x04, f);
	memset(pan, 'F', 20);
	memcpy(pan, f->id, digits);
	if (hex_decode(pan, 20, x + 2, 10) != 10 ||
	    hex_decode(f->expiry, 4, x + 12, 2) != 2)
		return -1;
	memcpy(x + 14, f->serial, 3);
	x[17] = f->hash_alg;
	x[18] = 0x01;
	x[19] = (uint8_t)icc->len;
	x[20] = 1;
	memcpy(x + 21, icc->n, room);
	*rem_len = icc->len - room;
	memcpy(rem, icc->n + room, *rem_len);
	return finish(issuer, x, n, f, x + 1, 20 + room, rem, *rem_len, &exp,
		      1, static_data, static_len, cert);
}

/* Book 2 Table 17 (signed by the card). */
int signer_sdad(const struct signer_key *icc, const struct signer_fields *f,
		const uint8_t *dyn, size_t dyn_len, const uint8_t *hashed,
		size_t hashed_len, uint8_t *out)
{
	uint8_t x[SIGNER_MAX_KEY];
	size_t n = icc->len;

	if (n < 25 + dyn_len)
		return -1;
	header(x, n, 0x05, f);
	x[2] = f->hash_alg;
	x[3] = (uint8_t)dyn_len;
	memcpy(x + 4, dyn, dyn_len);
	return finish(icc, x, n, f, x + 1, n - 22, hashed, hashed_len, NULL,
		      0, NULL, 0, out);
}
