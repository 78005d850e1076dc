// SPDX-License-Identifier: MIT
/*
 * Step numbers in comments are those of EMV 4.3 Book 2 (Security and Key
 * Management) 5.3, 5.4, 6.3-6.5 and Book 3 (Application Specification)
 * 10.3.  Layouts of the recovered data are Book 2 Tables 6, 7, 14 and 17.
 */
#include <string.h>

#include "crypto/cipher.h"
#include "emv/dol.h"
#include "emv/oda.h"
#include "emv/risk.h"
#include "iso8583/tlv.h"

#define HEADER		0x6a
#define TRAILER		0xbc
#define FORMAT_ISSUER	0x02
#define FORMAT_SSAD	0x03
#define FORMAT_ICC	0x04
#define FORMAT_SDAD	0x05
#define SHA1_ALG	0x01	/* hash algorithm indicator */
#define RSA_ALG		0x01	/* public key algorithm indicator */

#define AIP_SDA		0x40	/* AIP byte 1 */
#define AIP_DDA		0x20
#define AIP_CDA		0x01
#define CAP_SDA		0x80	/* 9F33 byte 3 */
#define CAP_DDA		0x40
#define CAP_CDA		0x08

/* The recovered block of a certificate or signature. */
struct recovered {
	uint8_t x[PCC_RSA_MAX_MODULUS];
	size_t n;
};

enum emv_status emv_capk_checksum(const struct emv_capk *k,
				  uint8_t out[PCC_SHA1_LEN])
{
	const struct pcc_part parts[] = {
		{ k->rid, 5 }, { &k->index, 1 },
		{ k->modulus, k->modulus_len }, { k->exponent, k->exponent_len },
	};

	return pcc_sha1(parts, 4, out) ? EMV_E_CRYPTO : EMV_OK;
}

void emv_static_data_add(struct emv_static_data *sd, uint8_t sfi,
			 const uint8_t *rec, size_t len)
{
	struct tlv t;
	size_t pos = 0;

	if (sfi <= 10) {	/* the 70 template's value only */
		if (tlv_next(rec, len, &pos, &t) != TLV_OK || t.tag != 0x70 ||
		    pos != len) {
			sd->unusable = true;
			return;
		}
		rec = t.value;
		len = t.len;
	}
	if (len > sizeof(sd->buf) - sd->len) {
		sd->unusable = true;
		return;
	}
	memcpy(sd->buf + sd->len, rec, len);
	sd->len += len;
}

const char *emv_oda_error_name(enum emv_oda_error e)
{
	static const char *const names[] = {
		[EMV_ODA_OK] = "ok",
		[EMV_ODA_NO_CAPK] = "no such certification authority key",
		[EMV_ODA_DATA_MISSING] = "card data for authentication missing",
		[EMV_ODA_LENGTH] = "certificate length differs from the key",
		[EMV_ODA_FORMAT] = "recovered data malformed",
		[EMV_ODA_ALGORITHM] = "unknown hash or key algorithm",
		[EMV_ODA_HASH] = "hash mismatch",
		[EMV_ODA_IDENTITY] = "issuer identifier or PAN mismatch",
		[EMV_ODA_EXPIRED] = "certificate expired",
		[EMV_ODA_REVOKED] = "issuer certificate revoked",
		[EMV_ODA_STATIC_DATA] = "static data to authenticate unusable",
		[EMV_ODA_DDOL] = "no usable DDOL",
		[EMV_ODA_CARD] = "INTERNAL AUTHENTICATE failed",
	};

	return (size_t)e < sizeof(names) / sizeof(names[0]) && names[e] ?
	       names[e] : "unknown";
}

/* Steps 1-4: length, recovery, trailer, header, format. */
static enum emv_oda_error recover(const uint8_t *modulus, size_t modulus_len,
				  const uint8_t *exponent, size_t exponent_len,
				  const uint8_t *in, size_t in_len,
				  uint8_t format, struct recovered *r)
{
	if (in_len != modulus_len)
		return EMV_ODA_LENGTH;
	if (pcc_rsa_recover(modulus, modulus_len, exponent, exponent_len, in,
			    in_len, r->x))
		return EMV_ODA_FORMAT;
	r->n = modulus_len;
	if (r->x[r->n - 1] != TRAILER || r->x[0] != HEADER ||
	    r->x[1] != format)
		return EMV_ODA_FORMAT;
	return EMV_ODA_OK;
}

/* The hash of @parts against the 20 bytes before the trailer. */
static enum emv_oda_error check_hash(const struct recovered *r,
				     const struct pcc_part *parts, size_t n)
{
	uint8_t h[PCC_SHA1_LEN];

	if (pcc_sha1(parts, n, h))
		return EMV_ODA_FORMAT;
	return memcmp(h, r->x + r->n - 1 - PCC_SHA1_LEN, PCC_SHA1_LEN) ?
	       EMV_ODA_HASH : EMV_ODA_OK;
}

static int bcd(uint8_t b)
{
	return (b >> 4) > 9 || (b & 0x0f) > 9 ? -1 : (b >> 4) * 10 + (b & 0x0f);
}

/* A certificate is valid through the last day of its MMYY month. */
static enum emv_oda_error check_expiry(const uint8_t mmyy[2],
				       const struct emv_date *today)
{
	int mm = bcd(mmyy[0]), yy = bcd(mmyy[1]);

	if (mm < 1 || mm > 12 || yy < 0)
		return EMV_ODA_FORMAT;
	if (today->yy > yy || (today->yy == yy && today->mm > mm))
		return EMV_ODA_EXPIRED;
	return EMV_ODA_OK;
}

/* Nibble @i of compressed numeric @cn. */
static uint8_t nibble(const uint8_t *cn, size_t i)
{
	return i % 2 ? cn[i / 2] & 0x0f : cn[i / 2] >> 4;
}

/* 5.3 step 8: the issuer identifier is the PAN's leftmost 3 to 8 digits,
 * padded with F. */
static bool issuer_id_matches(const uint8_t id[4], const char *pan)
{
	size_t digits = 0;

	while (digits < 8 && nibble(id, digits) != 0x0f)
		digits++;
	if (digits < 3 || strlen(pan) < digits)
		return false;
	for (size_t i = 0; i < 8; i++) {
		uint8_t v = nibble(id, i);

		if (i < digits ? v != (uint8_t)(pan[i] - '0') : v != 0x0f)
			return false;
	}
	return true;
}

/* 6.4 step 8: the recovered PAN (10 bytes cn) is the card's 5A. */
static bool pan_matches(const uint8_t cn[10], const char *pan)
{
	size_t len = strlen(pan);

	for (size_t i = 0; i < 20; i++) {
		uint8_t v = nibble(cn, i);

		if (i < len ? v != (uint8_t)(pan[i] - '0') : v != 0x0f)
			return false;
	}
	return true;
}

/* Assemble a recovered key: leftmost digits, then the remainder when the
 * key is longer than the room in the certificate. */
static enum emv_oda_error assemble_key(const uint8_t *leftmost,
				       size_t room, size_t key_len,
				       const uint8_t *rem, size_t rem_len,
				       const uint8_t *exp, size_t exp_len,
				       struct emv_public_key *k)
{
	if (!key_len || key_len > PCC_RSA_MAX_MODULUS ||
	    (exp_len != 1 && exp_len != 3))
		return EMV_ODA_FORMAT;
	if (key_len > room) {
		if (!rem || rem_len != key_len - room)
			return EMV_ODA_DATA_MISSING;
		memcpy(k->modulus, leftmost, room);
		memcpy(k->modulus + room, rem, rem_len);
	} else {
		memcpy(k->modulus, leftmost, key_len);
	}
	k->modulus_len = key_len;
	memcpy(k->exponent, exp, exp_len);
	k->exponent_len = exp_len;
	return EMV_ODA_OK;
}

enum emv_oda_error emv_recover_issuer_key(const struct emv_oda_input *in,
					  struct emv_public_key *issuer)
{
	size_t cert_len, rem_len = 0, exp_len = 0, room;
	const uint8_t *cert = emv_data_get(in->icc, 0x90, &cert_len);
	const uint8_t *rem = emv_data_get(in->icc, 0x92, &rem_len);
	const uint8_t *exp = emv_data_get(in->icc, 0x9f32, &exp_len);
	const struct emv_capk *ca = in->capk;
	struct recovered r;
	enum emv_oda_error e;

	if (!ca)
		return EMV_ODA_NO_CAPK;
	if (!cert || !exp)
		return EMV_ODA_DATA_MISSING;
	if (ca->modulus_len < 36 + 1)
		return EMV_ODA_LENGTH;
	e = recover(ca->modulus, ca->modulus_len, ca->exponent,
		    ca->exponent_len, cert, cert_len, FORMAT_ISSUER, &r);
	if (e)
		return e;
	room = r.n - 36;
	if (r.x[11] != SHA1_ALG)
		return EMV_ODA_ALGORITHM;
	/* steps 5-7: format .. leftmost digits || remainder || exponent */
	const struct pcc_part parts[] = {
		{ r.x + 1, 14 + room }, { rem, rem ? rem_len : 0 },
		{ exp, exp_len },
	};
	e = check_hash(&r, parts, 3);
	if (!e && !issuer_id_matches(r.x + 2, in->card->pan))
		e = EMV_ODA_IDENTITY;
	if (!e)
		e = check_expiry(r.x + 6, in->today);
	if (!e && in->revoked &&
	    in->revoked(in->ctx, ca->rid, ca->index, r.x + 8))
		e = EMV_ODA_REVOKED;
	if (!e && r.x[12] != RSA_ALG)
		e = EMV_ODA_ALGORITHM;
	if (!e && r.x[14] != exp_len)
		e = EMV_ODA_FORMAT;
	if (!e)
		e = assemble_key(r.x + 15, room, r.x[13], rem, rem_len, exp,
				 exp_len, issuer);
	pcc_wipe(&r, sizeof(r));
	return e;
}

/* The static data part of a hash: the records, then the AIP when the
 * SDA tag list (9F4A) asks for it; any other tag there is a failure
 * (Book 3 10.3). */
static enum emv_oda_error static_parts(const struct emv_oda_input *in,
				       struct pcc_part parts[2])
{
	size_t len;
	const uint8_t *list = emv_data_get(in->icc, 0x9f4a, &len);

	if (!in->static_data || in->static_data->unusable)
		return EMV_ODA_STATIC_DATA;
	parts[0] = (struct pcc_part){ in->static_data->buf,
				      in->static_data->len };
	parts[1] = (struct pcc_part){ NULL, 0 };
	if (!list)
		return EMV_ODA_OK;
	if (len != 1 || list[0] != 0x82)
		return EMV_ODA_STATIC_DATA;
	parts[1] = (struct pcc_part){ in->card->aip, 2 };
	return EMV_ODA_OK;
}

enum emv_oda_error emv_verify_ssad(const struct emv_oda_input *in,
				   const struct emv_public_key *issuer,
				   uint8_t dac[2])
{
	size_t len;
	const uint8_t *ssad = emv_data_get(in->icc, 0x93, &len);
	struct pcc_part parts[3];
	struct recovered r;
	enum emv_oda_error e;

	if (!ssad)
		return EMV_ODA_DATA_MISSING;
	e = recover(issuer->modulus, issuer->modulus_len, issuer->exponent,
		    issuer->exponent_len, ssad, len, FORMAT_SSAD, &r);
	if (!e && r.n < 26)
		e = EMV_ODA_FORMAT;
	if (!e && r.x[2] != SHA1_ALG)
		e = EMV_ODA_ALGORITHM;
	if (!e)
		e = static_parts(in, parts + 1);
	if (!e) {	/* format .. pad pattern || static data */
		parts[0] = (struct pcc_part){ r.x + 1, r.n - 22 };
		e = check_hash(&r, parts, 3);
	}
	if (!e)
		memcpy(dac, r.x + 3, 2);
	return e;
}

enum emv_oda_error emv_recover_icc_key(const struct emv_oda_input *in,
				       const struct emv_public_key *issuer,
				       struct emv_public_key *icc_key)
{
	size_t cert_len, rem_len = 0, exp_len = 0, room;
	const uint8_t *cert = emv_data_get(in->icc, 0x9f46, &cert_len);
	const uint8_t *rem = emv_data_get(in->icc, 0x9f48, &rem_len);
	const uint8_t *exp = emv_data_get(in->icc, 0x9f47, &exp_len);
	struct pcc_part parts[5];
	struct recovered r;
	enum emv_oda_error e;

	if (!cert || !exp)
		return EMV_ODA_DATA_MISSING;
	if (issuer->modulus_len < 42 + 1)
		return EMV_ODA_LENGTH;
	e = recover(issuer->modulus, issuer->modulus_len, issuer->exponent,
		    issuer->exponent_len, cert, cert_len, FORMAT_ICC, &r);
	if (e)
		return e;
	room = r.n - 42;
	if (r.x[17] != SHA1_ALG)
		e = EMV_ODA_ALGORITHM;
	if (!e)
		e = static_parts(in, parts + 3);
	if (!e) {	/* format .. leftmost || remainder || exponent || static */
		parts[0] = (struct pcc_part){ r.x + 1, 20 + room };
		parts[1] = (struct pcc_part){ rem, rem ? rem_len : 0 };
		parts[2] = (struct pcc_part){ exp, exp_len };
		e = check_hash(&r, parts, 5);
	}
	if (!e && !pan_matches(r.x + 2, in->card->pan))
		e = EMV_ODA_IDENTITY;
	if (!e)
		e = check_expiry(r.x + 12, in->today);
	if (!e && r.x[18] != RSA_ALG)
		e = EMV_ODA_ALGORITHM;
	if (!e && r.x[20] != exp_len)
		e = EMV_ODA_FORMAT;
	if (!e)
		e = assemble_key(r.x + 21, room, r.x[19], rem, rem_len, exp,
				 exp_len, icc_key);
	pcc_wipe(&r, sizeof(r));
	return e;
}

enum emv_oda_error emv_verify_sdad(const struct emv_public_key *icc_key,
				   const uint8_t *sdad, size_t sdad_len,
				   const uint8_t *ddol_data, size_t ddol_len,
				   uint8_t number[8], size_t *number_len)
{
	struct recovered r;
	size_t ldd;
	enum emv_oda_error e;

	e = recover(icc_key->modulus, icc_key->modulus_len, icc_key->exponent,
		    icc_key->exponent_len, sdad, sdad_len, FORMAT_SDAD, &r);
	if (e)
		return e;
	if (r.n < 26 || r.x[2] != SHA1_ALG)
		return r.n < 26 ? EMV_ODA_FORMAT : EMV_ODA_ALGORITHM;
	ldd = r.x[3];
	/* the ICC dynamic data: its number's length, then the number */
	if (ldd < 3 || ldd > r.n - 25 || r.x[4] < 2 || r.x[4] > 8 ||
	    r.x[4] > ldd - 1)
		return EMV_ODA_FORMAT;
	const struct pcc_part parts[] = {
		{ r.x + 1, r.n - 22 }, { ddol_data, ddol_len },
	};
	e = check_hash(&r, parts, 2);
	if (!e) {
		*number_len = r.x[4];
		memcpy(number, r.x + 5, *number_len);
	}
	return e;
}

enum emv_oda_error emv_verify_cda(const struct emv_public_key *icc_key,
				  const uint8_t *sdad, size_t sdad_len,
				  const uint8_t un[4], uint8_t cid,
				  const struct pcc_part *parts, size_t n_parts,
				  uint8_t ac[8])
{
	uint8_t tdhc[PCC_SHA1_LEN];
	const uint8_t *dyn;
	struct recovered r;
	size_t ln;
	enum emv_oda_error e;

	e = recover(icc_key->modulus, icc_key->modulus_len, icc_key->exponent,
		    icc_key->exponent_len, sdad, sdad_len, FORMAT_SDAD, &r);
	if (e)
		return e;
	if (r.n < 26 + 32 || r.x[2] != SHA1_ALG)
		return r.n < 26 + 32 ? EMV_ODA_LENGTH : EMV_ODA_ALGORITHM;
	/* Table 19: number length, number, CID, AC, transaction data hash */
	dyn = r.x + 4;
	ln = dyn[0];
	if (ln < 2 || ln > 8 || r.x[3] != 1 + ln + 1 + 8 + PCC_SHA1_LEN ||
	    r.x[3] > r.n - 25)
		return EMV_ODA_FORMAT;
	if (dyn[1 + ln] != cid)
		return EMV_ODA_FORMAT;
	const struct pcc_part signed_parts[] = {
		{ r.x + 1, r.n - 22 }, { un, 4 },
	};
	e = check_hash(&r, signed_parts, 2);
	if (!e && pcc_sha1(parts, n_parts, tdhc))
		e = EMV_ODA_FORMAT;
	if (!e && memcmp(tdhc, dyn + 2 + ln + 8, PCC_SHA1_LEN))
		e = EMV_ODA_HASH;
	if (!e)
		memcpy(ac, dyn + 2 + ln, 8);
	pcc_wipe(&r, sizeof(r));
	return e;
}

/* The terminal's CA key for this card: RID from the selected AID. */
static enum emv_oda_error find_capk(struct emv_oda_input *in)
{
	size_t aid_len, len;
	const uint8_t *aid = emv_data_get(in->icc, 0x84, &aid_len);
	const uint8_t *index = emv_data_get(in->icc, 0x8f, &len);

	if (in->capk)
		return EMV_ODA_OK;
	if (!index || len != 1)
		return EMV_ODA_DATA_MISSING;
	if (!aid || aid_len < 5 || !in->capk_lookup)
		return EMV_ODA_NO_CAPK;
	in->capk = in->capk_lookup(in->ctx, aid, index[0]);
	return in->capk ? EMV_ODA_OK : EMV_ODA_NO_CAPK;
}

/* Book 2 6.6: both keys now, the signatures with each GENERATE AC. */
static enum emv_oda_error prepare_cda(const struct emv_oda_input *in,
				      struct emv_public_key *icc_key)
{
	struct emv_public_key issuer;
	enum emv_oda_error e = emv_recover_issuer_key(in, &issuer);

	return e ? e : emv_recover_icc_key(in, &issuer, icc_key);
}

static enum emv_oda_error run_sda(const struct emv_oda_input *in,
				  struct emv_data *icc)
{
	struct emv_public_key issuer;
	uint8_t dac[2];
	enum emv_oda_error e = emv_recover_issuer_key(in, &issuer);

	if (!e)
		e = emv_verify_ssad(in, &issuer, dac);
	if (!e && emv_data_set(icc, 0x9f45, dac, 2))
		e = EMV_ODA_FORMAT;
	return e;
}

/* 6.5.1: INTERNAL AUTHENTICATE; the SDAD comes back in 80 (format 1) or
 * as 9F4B in 77 (format 2). */
static enum emv_status internal_authenticate(const struct emv_transport *t,
					     const uint8_t *data, size_t len,
					     struct emv_apdu_response *rsp,
					     const uint8_t **sdad,
					     size_t *sdad_len)
{
	const struct emv_command cmd = {
		.cla = 0x00, .ins = 0x88, .data = data, .lc = len, .le = true,
	};
	enum emv_status st = emv_apdu_exchange(t, &cmd, rsp);
	struct tlv v;
	size_t pos = 0;

	*sdad = NULL;
	if (st || rsp->sw != 0x9000 ||
	    tlv_next(rsp->data, rsp->len, &pos, &v) != TLV_OK ||
	    pos != rsp->len)
		return st;
	if (v.tag == 0x80) {
		*sdad = v.value;
		*sdad_len = v.len;
	} else if (v.tag == 0x77 &&
		   tlv_find(v.value, v.len, 0x9f4b, &v) == TLV_OK) {
		*sdad = v.value;
		*sdad_len = v.len;
	}
	return EMV_OK;
}

struct dda_context {
	const struct emv_transport *t;
	const uint8_t *default_ddol;
	size_t default_ddol_len;
	const struct emv_data *terminal;
	struct emv_data *icc;
};

static enum emv_oda_error run_dda(const struct emv_oda_input *in,
				  const struct dda_context *c,
				  enum emv_status *st)
{
	struct emv_public_key issuer, icc_key;
	struct emv_apdu_response rsp;
	const struct emv_data *src[2] = { c->terminal, c->icc };
	uint8_t ddol_data[252], number[8];
	size_t ddol_len, data_len, sdad_len, number_len;
	const uint8_t *sdad, *ddol = emv_data_get(in->icc, 0x9f49, &ddol_len);
	enum emv_oda_error e = emv_recover_issuer_key(in, &issuer);

	if (!e)
		e = emv_recover_icc_key(in, &issuer, &icc_key);
	if (e)
		return e;
	if (!ddol) {	/* Book 3 10.3: the terminal's default DDOL */
		ddol = c->default_ddol;
		ddol_len = c->default_ddol_len;
	}
	if (!ddol || !emv_dol_contains(ddol, ddol_len, 0x9f37) ||
	    emv_dol_build(ddol, ddol_len, src, 2, ddol_data,
			  sizeof(ddol_data), &data_len))
		return EMV_ODA_DDOL;
	*st = internal_authenticate(c->t, ddol_data, data_len, &rsp, &sdad,
				    &sdad_len);
	if (*st)
		return EMV_ODA_CARD;
	if (!sdad)
		return EMV_ODA_CARD;
	e = emv_verify_sdad(&icc_key, sdad, sdad_len, ddol_data, data_len,
			    number, &number_len);
	if (!e && emv_data_set(c->icc, 0x9f4c, number, number_len))
		e = EMV_ODA_FORMAT;
	return e;
}

enum emv_status emv_oda_perform(const struct emv_transport *t,
				const struct emv_oda_input *in,
				const uint8_t capabilities[3],
				const uint8_t *default_ddol,
				size_t default_ddol_len,
				const struct emv_data *terminal,
				struct emv_data *icc, uint8_t tvr[5],
				uint8_t tsi[2], struct emv_oda_result *result)
{
	const struct dda_context c = {
		t, default_ddol, default_ddol_len, terminal, icc,
	};
	struct emv_oda_input local = *in;
	uint8_t aip = in->card->aip[0];
	enum emv_status st = EMV_OK;
	enum emv_oda_error e;

	if ((aip & AIP_CDA) && (capabilities[2] & CAP_CDA)) {
		result->method = EMV_ODA_CDA;
	} else if ((aip & AIP_DDA) && (capabilities[2] & CAP_DDA)) {
		result->method = EMV_ODA_DDA;
	} else if ((aip & AIP_SDA) && (capabilities[2] & CAP_SDA)) {
		result->method = EMV_ODA_SDA;
		emv_tvr_set(tvr, EMV_TVR_SDA_SELECTED);
	} else {
		result->method = EMV_ODA_NONE;
		result->error = EMV_ODA_OK;
		emv_tvr_set(tvr, EMV_TVR_ODA_NOT_PERFORMED);
		return EMV_OK;
	}
	tsi[0] |= EMV_TSI_ODA_PERFORMED;
	e = find_capk(&local);
	if (!e && result->method == EMV_ODA_CDA)
		e = prepare_cda(&local, &result->icc_key);
	else if (!e)
		e = result->method == EMV_ODA_DDA ? run_dda(&local, &c, &st) :
		    run_sda(&local, icc);
	result->error = e;
	if (e) {
		emv_tvr_set(tvr, result->method == EMV_ODA_CDA ?
			    EMV_TVR_CDA_FAILED :
			    result->method == EMV_ODA_DDA ?
			    EMV_TVR_DDA_FAILED : EMV_TVR_SDA_FAILED);
		if (e == EMV_ODA_DATA_MISSING)
			emv_tvr_set(tvr, EMV_TVR_ICC_DATA_MISSING);
	}
	return st == EMV_E_CARD_REMOVED || st == EMV_E_TRANSPORT ? st : EMV_OK;
}
