// SPDX-License-Identifier: MIT
/* TR-31 key block unwrap (A, B, C, D) and wrap (B, D). */
#include <stdio.h>
#include <string.h>
#include "common/hex.h"
#include "crypto/evp_session.h"
#include "crypto/mac.h"
#include "crypto/tr31.h"
#include "crypto/tr31_internal.h"

/* Binary payload: 2-byte key length in bits, key, padding. */
#define PAYLOAD_MAX	((PCC_TR31_MAX_BLOCK - PCC_TR31_HEADER_LEN) / 2)

struct block_keys {
	uint8_t enc[32];	/* KBEK */
	uint8_t mac[32];	/* KBMK */
	size_t len;
};

static enum pcc_alg kbpk_alg(char version)
{
	return version == 'D' ? PCC_ALG_AES : PCC_ALG_TDES;
}

static bool kbpk_length_ok(char version, size_t len)
{
	if (version == 'D')
		return len == 16 || len == 24 || len == 32;
	return len == 16 || len == 24;
}

/* Versions A and C: key variants, KBPK XOR 0x45 / 0x4D. */
static void variant_keys(const uint8_t *kbpk, size_t len,
			 struct block_keys *k)
{
	for (size_t i = 0; i < len; i++) {
		k->enc[i] = kbpk[i] ^ 0x45;
		k->mac[i] = kbpk[i] ^ 0x4D;
	}
	k->len = len;
}

static void wipe_keys(struct block_keys *k)
{
	pcc_wipe(k, sizeof(*k));
}

/*
 * Versions B and D: CMAC-based KDF (NIST SP 800-108 counter mode), 8 bytes
 * of derivation data: counter | usage (0000 encryption, 0001 MAC) | 00 |
 * algorithm (0000 2TDEA, 0001 3TDEA, 0002/3/4 AES-128/192/256) | bits.
 */
static enum pcc_status derived_keys(char version, const uint8_t *kbpk,
				    size_t len, struct block_keys *k)
{
	enum pcc_alg alg = kbpk_alg(version);
	size_t bs = pcc_block_size(alg);
	uint8_t dd[8] = { 0 }, out[16];
	enum pcc_status st = PCC_OK;

	if (version == 'D')
		dd[5] = len == 16 ? 2 : len == 24 ? 3 : 4;
	else
		dd[5] = len == 16 ? 0 : 1;
	dd[6] = (uint8_t)((len * 8) >> 8);
	dd[7] = (uint8_t)(len * 8);
	k->len = len;
	for (int purpose = 0; purpose < 2 && st == PCC_OK; purpose++) {
		uint8_t *dst = purpose ? k->mac : k->enc;

		dd[2] = (uint8_t)purpose;
		for (size_t done = 0; done < len && st == PCC_OK; done += bs) {
			dd[0] = (uint8_t)(done / bs + 1);
			st = pcc_cmac_full(alg, kbpk, len, dd, sizeof(dd), out);
			memcpy(dst + done, out, len - done < bs ? len - done : bs);
		}
	}
	pcc_wipe(out, sizeof(out));
	return st;
}

static enum pcc_status make_block_keys(char version, const uint8_t *kbpk,
				  size_t len, struct block_keys *k)
{
	if (!kbpk_length_ok(version, len))
		return PCC_E_KEY_LENGTH;
	if (version == 'A' || version == 'C') {
		variant_keys(kbpk, len, k);
		return PCC_OK;
	}
	return derived_keys(version, kbpk, len, k);
}

/* MAC over the header text followed by @data (A/C: the encrypted key
 * data, B/D: the clear payload). */
static enum pcc_status block_mac(char version, const struct block_keys *k,
				 const char *header, size_t header_len,
				 const uint8_t *data, size_t data_len,
				 uint8_t *mac)
{
	uint8_t buf[PCC_TR31_MAX_BLOCK];
	struct pcc_mac_spec spec = { .padding = PCC_PAD_METHOD1 };
	enum pcc_status st;

	memcpy(buf, header, header_len);
	memcpy(buf + header_len, data, data_len);
	if (version == 'A' || version == 'C') {
		spec.alg = PCC_MAC_ISO9797_ALG1;
		spec.cipher = PCC_ALG_TDES;
	} else {
		spec.alg = PCC_MAC_CMAC;
		spec.cipher = kbpk_alg(version);
	}
	st = pcc_mac(&spec, k->mac, k->len, buf, header_len + data_len, mac,
		     pcc_tr31_mac_len(version));
	pcc_wipe(buf + header_len, data_len);
	return st;
}

/* Split the text after the header into encrypted data and MAC. */
static enum pcc_status split_body(const char *text, size_t len,
				  const struct pcc_tr31_header *hdr,
				  uint8_t *enc, size_t *enc_len, uint8_t *mac)
{
	size_t mac_len = pcc_tr31_mac_len(hdr->version);
	size_t bs = pcc_tr31_block_size(hdr->version);
	size_t body = len - hdr->header_len;
	size_t enc_hex;

	if (body < 2 * mac_len + 2 * bs)
		return PCC_E_KEYBLOCK_FORMAT;
	enc_hex = body - 2 * mac_len;
	if (enc_hex % (2 * bs))
		return PCC_E_KEYBLOCK_FORMAT;
	if (hex_decode(text + hdr->header_len, enc_hex, enc, PAYLOAD_MAX) < 0 ||
	    hex_decode(text + len - 2 * mac_len, 2 * mac_len, mac, 16) < 0)
		return PCC_E_KEYBLOCK_FORMAT;
	*enc_len = enc_hex / 2;
	return PCC_OK;
}

/* Whether a key of @len bytes fits the header's algorithm (TDES 8/16/24,
 * AES 16/24/32, DES 8; others are not checked). */
static bool key_fits_algorithm(char algorithm, size_t len)
{
	switch (algorithm) {
	case 'T':
		return len == 8 || len == 16 || len == 24;
	case 'A':
		return len == 16 || len == 24 || len == 32;
	case 'D':
		return len == 8;
	default:
		return len > 0 && len <= PCC_TR31_MAX_KEY;
	}
}

/* Key length field (bits) then the key. */
static enum pcc_status extract_key(const uint8_t *payload, size_t len,
				   char algorithm, uint8_t *key,
				   size_t *key_len)
{
	size_t bits = (size_t)payload[0] << 8 | payload[1];

	if (!bits || bits % 8 || bits / 8 > len - 2 ||
	    bits / 8 > PCC_TR31_MAX_KEY ||
	    !key_fits_algorithm(algorithm, bits / 8))
		return PCC_E_KEYBLOCK_FORMAT;
	memcpy(key, payload + 2, bits / 8);
	*key_len = bits / 8;
	return PCC_OK;
}

static enum pcc_status decrypt_and_verify(const struct pcc_tr31_header *hdr,
					  const struct block_keys *k,
					  const char *text, uint8_t *enc,
					  size_t enc_len, const uint8_t *mac,
					  uint8_t *payload)
{
	enum pcc_alg alg = kbpk_alg(hdr->version);
	size_t mac_len = pcc_tr31_mac_len(hdr->version);
	uint8_t computed[16];
	enum pcc_status st;

	if (hdr->version == 'A' || hdr->version == 'C') {
		/* MAC over the encrypted data, IV = first 8 header bytes */
		st = block_mac(hdr->version, k, text, hdr->header_len, enc,
			       enc_len, computed);
		if (st == PCC_OK && !pcc_equal(computed, mac, mac_len))
			st = PCC_E_MAC;
		if (st == PCC_OK)
			st = pcc_cbc_decrypt(alg, k->enc, k->len,
					     (const uint8_t *)text, enc,
					     payload, enc_len);
		return st;
	}
	/* B and D: the MAC is the IV and covers the clear payload */
	st = pcc_cbc_decrypt(alg, k->enc, k->len, mac, enc, payload, enc_len);
	if (st == PCC_OK)
		st = block_mac(hdr->version, k, text, hdr->header_len, payload,
			       enc_len, computed);
	if (st == PCC_OK && !pcc_equal(computed, mac, mac_len))
		st = PCC_E_MAC;
	return st;
}

enum pcc_status pcc_tr31_unwrap(const uint8_t *kbpk, size_t kbpk_len,
				const char *text, size_t len,
				struct pcc_tr31_header *hdr_out,
				uint8_t *key, size_t *key_len)
{
	struct pcc_tr31_header hdr;
	uint8_t enc[PAYLOAD_MAX], payload[PAYLOAD_MAX], mac[16];
	struct block_keys k;
	size_t enc_len = 0;
	enum pcc_status st;

	if (!kbpk || !text || !key || !key_len)
		return PCC_E_ARGUMENT;
	st = pcc_tr31_parse_header(text, len, &hdr);
	if (st == PCC_OK)
		st = split_body(text, len, &hdr, enc, &enc_len, mac);
	if (st != PCC_OK)
		return st;
	st = make_block_keys(hdr.version, kbpk, kbpk_len, &k);
	if (st == PCC_OK)
		st = decrypt_and_verify(&hdr, &k, text, enc, enc_len, mac,
					payload);
	if (st == PCC_OK)
		st = extract_key(payload, enc_len, hdr.algorithm, key,
				 key_len);
	wipe_keys(&k);
	pcc_wipe(payload, enc_len);
	if (st == PCC_OK && hdr_out)
		*hdr_out = hdr;
	return st;
}

static enum pcc_status check_attrs(const struct pcc_tr31_attrs *a,
				   char key_version[2])
{
	if (a->version != 'B' && a->version != 'D')
		return PCC_E_KEYBLOCK_VERSION;
	if (!pcc_tr31_algorithm_ok(a->algorithm) ||
	    !pcc_tr31_exportability_ok(a->exportability) ||
	    strnlen(a->usage, 3) != 2 ||
	    !pcc_tr31_usage_mode_ok(a->usage, a->mode))
		return PCC_E_KEYBLOCK_HEADER;
	if (!a->key_version[0]) {
		memcpy(key_version, "00", 2);
	} else if (strnlen(a->key_version, 3) == 2) {
		memcpy(key_version, a->key_version, 2);
	} else {
		return PCC_E_KEYBLOCK_HEADER;
	}
	return PCC_OK;
}

/* Payload length hiding the key length: as long as the algorithm's longest
 * key (TDES 24, AES 32), rounded up to the block size. */
static size_t payload_len(char algorithm, size_t key_len, size_t bs)
{
	size_t hide = algorithm == 'A' ? 32 : 24;
	size_t n = 2 + (key_len > hide ? key_len : hide);

	return (n + bs - 1) / bs * bs;
}

/*
 * Header text: fixed part, the caller's optional blocks and, when the
 * length is not a multiple of @bs, a PB block of '0's (at least 4
 * characters: ID and length).  Returns the header length, 0 when the
 * optional blocks do not fit.
 */
static size_t build_header(const struct pcc_tr31_attrs *a,
			   const char key_version[2], size_t bs,
			   size_t body_len, char *out, size_t out_size)
{
	size_t opt_len = a->optional ? strlen(a->optional) : 0;
	size_t len = PCC_TR31_HEADER_LEN + opt_len, pad = 0;
	unsigned n_opt = a->optional ? a->n_optional : 0;

	if (len % bs) {
		pad = bs - len % bs;
		if (pad < 4)
			pad += bs;
		n_opt++;
	}
	len += pad;
	if (n_opt > 99 || opt_len > PCC_TR31_MAX_BLOCK ||
	    len + body_len > PCC_TR31_MAX_BLOCK || out_size <= len + body_len)
		return 0;
	snprintf(out, out_size, "%c%04zu%.2s%c%c%.2s%c%02u00%s", a->version,
		 len + body_len, a->usage, a->algorithm, a->mode, key_version,
		 a->exportability, n_opt, a->optional ? a->optional : "");
	if (pad) {
		snprintf(out + len - pad, out_size - (len - pad), "PB%02zX",
			 pad);
		memset(out + len - pad + 4, '0', pad - 4);
		out[len] = '\0';
	}
	return len;
}

enum pcc_status pcc_tr31_wrap(const uint8_t *kbpk, size_t kbpk_len,
			      const struct pcc_tr31_attrs *attrs,
			      const uint8_t *key, size_t key_len,
			      char *out, size_t out_size)
{
	uint8_t payload[64], enc[64], mac[16];
	char key_version[2];
	struct pcc_tr31_header check;
	struct block_keys k;
	size_t bs, plen, mac_len, header_len;
	enum pcc_status st;

	if (!kbpk || !attrs || !key || !out)
		return PCC_E_ARGUMENT;
	st = check_attrs(attrs, key_version);
	if (st != PCC_OK)
		return st;
	if (!key_fits_algorithm(attrs->algorithm, key_len))
		return PCC_E_KEY_LENGTH;
	bs = pcc_tr31_block_size(attrs->version);
	mac_len = pcc_tr31_mac_len(attrs->version);
	plen = payload_len(attrs->algorithm, key_len, bs);
	header_len = build_header(attrs, key_version, bs,
				  2 * plen + 2 * mac_len, out, out_size);
	if (!header_len)
		return PCC_E_BUFFER;
	/* the caller's optional blocks must parse like any received block */
	memset(out + header_len, '0', 2 * plen + 2 * mac_len);
	out[header_len + 2 * plen + 2 * mac_len] = '\0';
	st = pcc_tr31_parse_header(out, strlen(out), &check);
	if (st != PCC_OK)
		return st;
	st = make_block_keys(attrs->version, kbpk, kbpk_len, &k);
	if (st != PCC_OK)
		return st;
	payload[0] = (uint8_t)((key_len * 8) >> 8);
	payload[1] = (uint8_t)(key_len * 8);
	memcpy(payload + 2, key, key_len);
	st = pcc_random(payload + 2 + key_len, plen - 2 - key_len);
	if (st == PCC_OK)
		st = block_mac(attrs->version, &k, out, header_len, payload,
			       plen, mac);
	if (st == PCC_OK)
		st = pcc_cbc_encrypt(kbpk_alg(attrs->version), k.enc, k.len,
				     mac, payload, enc, plen);
	if (st == PCC_OK) {
		hex_encode(enc, plen, out + header_len);
		hex_encode(mac, mac_len, out + header_len + 2 * plen);
	}
	wipe_keys(&k);
	pcc_wipe(payload, sizeof(payload));
	return st;
}
