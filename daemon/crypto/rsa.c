// SPDX-License-Identifier: MIT
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "crypto/rsa.h"

/* An RSA public key from its big-endian modulus and exponent. */
static EVP_PKEY *public_key(const uint8_t *modulus, size_t modulus_len,
			    const uint8_t *exponent, size_t exponent_len)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = BN_bin2bn(modulus, (int)modulus_len, NULL);
	BIGNUM *e = BN_bin2bn(exponent, (int)exponent_len, NULL);
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	if (!bld || !n || !e ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
		goto out;
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return key;
}

enum pcc_status pcc_rsa_recover(const uint8_t *modulus, size_t modulus_len,
				const uint8_t *exponent, size_t exponent_len,
				const uint8_t *in, size_t in_len, uint8_t *out)
{
	EVP_PKEY *key;
	EVP_PKEY_CTX *ctx = NULL;
	size_t out_len = modulus_len;
	enum pcc_status st = PCC_E_CIPHER;

	if (!modulus || !exponent || !in || !out || !exponent_len ||
	    exponent_len > 3)
		return PCC_E_ARGUMENT;
	if (!modulus_len || modulus_len > PCC_RSA_MAX_MODULUS)
		return PCC_E_KEY_LENGTH;
	if (in_len != modulus_len)
		return PCC_E_DATA_LENGTH;
	key = public_key(modulus, modulus_len, exponent, exponent_len);
	if (key)
		ctx = EVP_PKEY_CTX_new(key, NULL);
	if (ctx && EVP_PKEY_verify_recover_init(ctx) > 0 &&
	    EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) > 0 &&
	    EVP_PKEY_verify_recover(ctx, out, &out_len, in, in_len) > 0 &&
	    out_len == modulus_len)
		st = PCC_OK;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(key);
	return st;
}

enum pcc_status pcc_sha1(const struct pcc_part *parts, size_t n,
			 uint8_t out[PCC_SHA1_LEN])
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned int len = 0;
	int ok = md && EVP_DigestInit_ex(md, EVP_sha1(), NULL) > 0;

	for (size_t i = 0; ok && i < n; i++)
		ok = !parts[i].len ||
		     EVP_DigestUpdate(md, parts[i].data, parts[i].len) > 0;
	ok = ok && EVP_DigestFinal_ex(md, out, &len) > 0 &&
	     len == PCC_SHA1_LEN;
	EVP_MD_CTX_free(md);
	return ok ? PCC_OK : PCC_E_CIPHER;
}
