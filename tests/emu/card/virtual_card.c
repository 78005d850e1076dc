// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "crypto/cipher.h"
#include "emv/cryptogram.h"
#include "emv/oda.h"
#include "iso8583/tlv.h"
#include "virtual_card.h"

#define PSE_SELECTED	(-2)
#define PSE_NAME	"1PAY.SYS.DDF01"

/* Data object lists the card asks for (kept fixed: the host simulator
 * rebuilds the CDOL1 data from field 55, see virtual_card.h). */
static const uint8_t pdol[] = {
	0x9f, 0x66, 0x04, 0x9f, 0x02, 0x06, 0x9f, 0x37, 0x04, 0x5f, 0x2a, 0x02,
};
static const uint8_t cdol1[] = {
	0x9f, 0x02, 0x06, 0x9f, 0x03, 0x06, 0x9f, 0x1a, 0x02, 0x95, 0x05,
	0x5f, 0x2a, 0x02, 0x9a, 0x03, 0x9c, 0x01, 0x9f, 0x37, 0x04,
};
#define CDOL1_DATA_LEN	29
static const uint8_t cdol2_plain[] = {
	0x8a, 0x02, 0x95, 0x05, 0x9f, 0x37, 0x04,
};
static const uint8_t cdol2_with_91[] = {
	0x8a, 0x02, 0x91, 0x0a, 0x95, 0x05, 0x9f, 0x37, 0x04,
};
/* online PIN if supported (else next), signature if supported, no CVM */
static const uint8_t cvm_list[] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0x42, 0x03, 0x5e, 0x03, 0x1f, 0x00,
};
static const uint8_t afl[] = { 0x08, 0x01, 0x02, 0x00, 0x10, 0x01, 0x01, 0x00 };
/* ODA cards: SFI 1 records 1-2 signed, SFI 3 holds the certificates */
static const uint8_t afl_oda[] = {
	0x08, 0x01, 0x02, 0x02, 0x10, 0x01, 0x01, 0x00, 0x18, 0x01, 0x02, 0x00,
};
static const uint8_t ddol[] = { 0x9f, 0x37, 0x04 };
static const uint8_t iac_denial[5] = { 0x00, 0x10, 0x00, 0x00, 0x00 };
static const uint8_t iac_online[5] = { 0xd8, 0x60, 0x04, 0xf8, 0x00 };
static const uint8_t iac_default[5] = { 0xd8, 0x60, 0x04, 0xa8, 0x00 };
/* issuer application data: length, key index, CVN, CVR (opaque here) */
static const uint8_t iad[] = { 0x07, 0x01, 0x01, 0x03, 0xa0, 0x00, 0x00 };

void vcard_profile_unionpay_debit(struct vcard_profile *p)
{
	static const uint8_t imk[16] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10,
	};

	memset(p, 0, sizeof(*p));
	strcpy(p->pan, "6212345678901232");
	p->psn = 1;
	memcpy(p->expiry, "\x30\x12\x31", 3);
	memcpy(p->effective, "\x20\x01\x01", 3);
	strcpy(p->name, "ZHANG/SAN");
	p->apps[0] = (struct vcard_app){
		{ 0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01 }, 8,
		"UnionPay Debit", 2, false };
	p->apps[1] = (struct vcard_app){
		{ 0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x02 }, 8,
		"UnionPay Credit", 1, false };
	p->n_apps = 2;
	p->has_pse = true;
	memcpy(p->imk, imk, 16);
	p->pin_try_counter = 3;
	/* AIP: cardholder verification (b5) and issuer authentication (b3) */
	p->aip[0] = 0x14;
	p->aip[1] = 0x00;
	p->atc = 0x0010;
}

/* ---- building the card's records ---------------------------------- */

static int put(uint8_t *buf, size_t size, size_t *pos, uint32_t tag,
	       const void *v, size_t len)
{
	return tlv_encode(tag, v, len, buf, size, pos) == TLV_OK ? 0 : -1;
}

/* Wrap @inner (@len bytes) as one @tag object into @out. */
static int wrap(uint32_t tag, const uint8_t *inner, size_t len, uint8_t *out,
		size_t size, size_t *out_len)
{
	*out_len = 0;
	return put(out, size, out_len, tag, inner, len);
}

/* Digits (and '=' as the D separator) into compressed numeric, F padded. */
static size_t pack_digits(const char *digits, uint8_t *out, size_t size)
{
	size_t nib = 0;

	memset(out, 0xff, size);
	for (const char *c = digits; *c && nib < 2 * size; c++, nib++) {
		uint8_t v = *c == '=' ? 0x0d : (uint8_t)(*c - '0');

		out[nib / 2] = nib % 2 ? (uint8_t)((out[nib / 2] & 0xf0) | v) :
					 (uint8_t)(v << 4 | 0x0f);
	}
	return (nib + 1) / 2;
}

static int build_records(struct vcard *c)
{
	const struct vcard_profile *p = &c->p;
	uint8_t in[256], pan[10], t2[19];
	char t2text[40];
	size_t n = 0, len;
	uint8_t psn = (uint8_t)(p->psn < 0 ? 0 : (p->psn / 10) << 4 |
				p->psn % 10);
	static const uint8_t version[2] = { 0x00, 0x30 };
	static const uint8_t app_currency[2] = { 0x01, 0x56 };
	int rc = 0;

	/* SFI 1 record 1: track 2 equivalent, name */
	snprintf(t2text, sizeof(t2text), "%s=%02x%02x2201234500000", p->pan,
		 p->expiry[0], p->expiry[1]);
	len = pack_digits(t2text, t2, sizeof(t2));
	rc |= put(in, sizeof(in), &n, 0x57, t2, len);
	rc |= put(in, sizeof(in), &n, 0x5f20, p->name, strlen(p->name));
	rc |= wrap(0x70, in, n, c->records[0], 256, &c->record_len[0]);
	/* SFI 1 record 2: PAN, dates, CVM list, IACs */
	n = 0;
	len = pack_digits(p->pan, pan, sizeof(pan));
	rc |= put(in, sizeof(in), &n, 0x5a, pan, len);
	rc |= put(in, sizeof(in), &n, 0x5f24, p->expiry, 3);
	rc |= put(in, sizeof(in), &n, 0x5f25, p->effective, 3);
	if (p->psn >= 0)
		rc |= put(in, sizeof(in), &n, 0x5f34, &psn, 1);
	if (p->cvm_list_len)
		rc |= put(in, sizeof(in), &n, 0x8e, p->cvm_list,
			  p->cvm_list_len);
	else if (!p->no_cvm_list)
		rc |= put(in, sizeof(in), &n, 0x8e, cvm_list, sizeof(cvm_list));
	if (p->has_auc)
		rc |= put(in, sizeof(in), &n, 0x9f07, p->auc, 2);
	if (p->ucol) {
		rc |= put(in, sizeof(in), &n, 0x9f14, &p->lcol, 1);
		rc |= put(in, sizeof(in), &n, 0x9f23, &p->ucol, 1);
	}
	rc |= put(in, sizeof(in), &n, 0x9f0d, iac_default, 5);
	rc |= put(in, sizeof(in), &n, 0x9f0e, iac_denial, 5);
	rc |= put(in, sizeof(in), &n, 0x9f0f, iac_online, 5);
	rc |= put(in, sizeof(in), &n, 0x9f08, version, 2);
	rc |= wrap(0x70, in, n, c->records[1], 256, &c->record_len[1]);
	/* SFI 2 record 1: CDOLs, application currency */
	n = 0;
	rc |= put(in, sizeof(in), &n, 0x8c, cdol1, sizeof(cdol1));
	if (p->issuer_auth_in_cdol2)
		rc |= put(in, sizeof(in), &n, 0x8d, cdol2_with_91,
			  sizeof(cdol2_with_91));
	else
		rc |= put(in, sizeof(in), &n, 0x8d, cdol2_plain,
			  sizeof(cdol2_plain));
	rc |= put(in, sizeof(in), &n, 0x9f42, app_currency, 2);
	rc |= wrap(0x70, in, n, c->records[2], 256, &c->record_len[2]);
	c->n_records = 3;
	memcpy(c->afl, afl, sizeof(afl));
	c->afl_len = sizeof(afl);
	pcc_wipe(in, sizeof(in));
	pcc_wipe(t2text, sizeof(t2text));
	return rc ? -1 : 0;
}

/* ---- offline data authentication: the issuer's personalisation ----- */

static struct signer_fields issuer_fields(const struct vcard *c)
{
	struct signer_fields f = { .serial = { 0x00, 0x00, 0x01 },
				   .hash_alg = 0x01 };

	/* issuer identifier: the PAN's leftmost 6 digits, F padded */
	memcpy(f.id, c->p.pan, 6);
	memcpy(f.id + 6, "FF", 3);
	memcpy(f.expiry, c->p.oda_fault == VCARD_FAULT_EXPIRED_ISSUER ?
	       "0120" : "1230", 5);
	return f;
}

static struct signer_fields icc_fields(const struct vcard *c)
{
	struct signer_fields f = { .expiry = "1230",
				   .serial = { 0x00, 0x00, 0x02 },
				   .hash_alg = 0x01 };

	strcpy(f.id, c->p.oda_fault == VCARD_FAULT_WRONG_PAN ?
	       "6212345678901240" : c->p.pan);
	f.wrong_hash = c->p.oda_fault == VCARD_FAULT_HASH;
	return f;
}

/* The static data the AFL marks: SFI 1 records 1 and 2, 70 removed. */
static size_t signed_records(const struct vcard *c, uint8_t *out)
{
	size_t n = 0;

	for (int i = 0; i < 2; i++) {
		size_t hdr = c->records[i][1] == 0x81 ? 3 : 2;

		memcpy(out + n, c->records[i] + hdr, c->record_len[i] - hdr);
		n += c->record_len[i] - hdr;
	}
	return n;
}

/* SFI 3 record 1: 8F, 90, 92, 9F32; record 2: 93 (SDA) or 9F46-9F49. */
static int personalise_oda(struct vcard *c)
{
	struct signer_key issuer;
	struct signer_fields fi = issuer_fields(c), fc = icc_fields(c);
	uint8_t in[256], cert[SIGNER_MAX_KEY], rem[SIGNER_MAX_KEY], sd[512];
	uint8_t idx = c->p.has_ca ? VCARD_TEST_CA_INDEX : VCARD_CAPK_INDEX;
	uint8_t exp = 3;
	size_t n = 0, rem_len, sd_len = signed_records(c, sd);
	int rc = 0;

	fi.wrong_hash = c->p.oda_fault == VCARD_FAULT_HASH;
	if (c->p.has_ca)
		c->ca = c->p.ca;
	else
		rc = signer_generate(&c->ca, 1024);
	rc |= signer_generate(&issuer, 896);
	if (c->p.oda >= VCARD_ODA_DDA)
		rc |= signer_generate(&c->icc_key, 768);
	rc |= signer_issuer_cert(&c->ca, &issuer, &fi, cert, rem, &rem_len);
	rc |= put(in, sizeof(in), &n, 0x8f, &idx, 1);
	rc |= put(in, sizeof(in), &n, 0x90, cert, c->ca.len);
	rc |= put(in, sizeof(in), &n, 0x92, rem, rem_len);
	rc |= put(in, sizeof(in), &n, 0x9f32, &exp, 1);
	rc |= wrap(0x70, in, n, c->records[3], 256, &c->record_len[3]);
	n = 0;
	if (c->p.oda == VCARD_ODA_SDA) {
		rc |= signer_ssad(&issuer, &fi, (const uint8_t *)"\xda\xc0", sd,
				  sd_len, cert);
		if (c->p.oda_fault == VCARD_FAULT_SIGNATURE)
			cert[40] ^= 0x01;
		rc |= put(in, sizeof(in), &n, 0x93, cert, issuer.len);
	} else {
		rc |= signer_icc_cert(&issuer, &c->icc_key, &fc, sd, sd_len,
				      cert, rem, &rem_len);
		rc |= put(in, sizeof(in), &n, 0x9f46, cert, issuer.len);
		rc |= put(in, sizeof(in), &n, 0x9f47, &exp, 1);
		rc |= put(in, sizeof(in), &n, 0x9f48, rem, rem_len);
		rc |= put(in, sizeof(in), &n, 0x9f49, ddol, sizeof(ddol));
	}
	rc |= wrap(0x70, in, n, c->records[4], 256, &c->record_len[4]);
	c->n_records = 5;
	memcpy(c->afl, afl_oda, sizeof(afl_oda));
	c->afl_len = sizeof(afl_oda);
	pcc_wipe(&issuer, sizeof(issuer));
	return rc ? -1 : 0;
}

int vcard_capk(const struct vcard *card, struct emv_capk *out)
{
	if (card->p.oda == VCARD_ODA_NONE)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out->rid, card->p.apps[0].aid, 5);
	out->index = VCARD_CAPK_INDEX;
	memcpy(out->modulus, card->ca.n, card->ca.len);
	out->modulus_len = card->ca.len;
	out->exponent[0] = 3;
	out->exponent_len = 1;
	return 0;
}

int vcard_init(struct vcard *card, const struct vcard_profile *profile)
{
	memset(card, 0, sizeof(*card));
	card->p = *profile;
	card->selected = -1;
	if (profile->n_apps == 0 || profile->n_apps > VCARD_MAX_APPS)
		return -1;
	if (emv_derive_icc_mk(profile->imk, profile->pan, profile->psn,
			      card->icc_mk))
		return -1;
	if (build_records(card))
		return -1;
	return profile->oda == VCARD_ODA_NONE ? 0 : personalise_oda(card);
}

void vcard_wipe(struct vcard *card)
{
	pcc_wipe(card, sizeof(*card));
}

/* ---- answering commands --------------------------------------------- */

struct answer {
	uint8_t *buf;
	size_t size, len;
};

static int reply(struct answer *a, const uint8_t *data, size_t len,
		 uint16_t sw)
{
	if (len + 2 > a->size)
		return -EMSGSIZE;
	if (len)
		memcpy(a->buf, data, len);
	a->buf[len] = (uint8_t)(sw >> 8);
	a->buf[len + 1] = (uint8_t)sw;
	a->len = len + 2;
	return 0;
}

static int sw_only(struct answer *a, uint16_t sw)
{
	return reply(a, NULL, 0, sw);
}

/* Data answers go through here: T=0 style cards announce them with 61xx. */
static int data_reply(struct vcard *c, struct answer *a, const uint8_t *data,
		      size_t len)
{
	if (!c->p.t0_get_response || len == 0)
		return reply(a, data, len, 0x9000);
	memcpy(c->pending, data, len);
	c->pending_len = len;
	return sw_only(a, (uint16_t)(0x6100 | (len & 0xff)));
}

static int fci_pse(struct vcard *c, struct answer *a)
{
	uint8_t a5[16], fci[64], out[80];
	size_t n = 0, m = 0, o;
	static const uint8_t sfi = 1;

	put(a5, sizeof(a5), &n, 0x88, &sfi, 1);
	put(a5, sizeof(a5), &n, 0x5f2d, "zhen", 4);
	put(fci, sizeof(fci), &m, 0x84, PSE_NAME, strlen(PSE_NAME));
	put(fci, sizeof(fci), &m, 0xa5, a5, n);
	wrap(0x6f, fci, m, out, sizeof(out), &o);
	c->selected = PSE_SELECTED;
	return data_reply(c, a, out, o);
}

static int fci_app(struct vcard *c, struct answer *a, int i)
{
	const struct vcard_app *app = &c->p.apps[i];
	uint8_t a5[96], fci[128], out[140];
	size_t n = 0, m = 0, o;
	static const uint8_t cti = 0x01;

	put(a5, sizeof(a5), &n, 0x50, app->label, strlen(app->label));
	if (app->priority)
		put(a5, sizeof(a5), &n, 0x87, &app->priority, 1);
	put(a5, sizeof(a5), &n, 0x9f38, pdol, sizeof(pdol));
	put(a5, sizeof(a5), &n, 0x5f2d, "zh", 2);
	put(a5, sizeof(a5), &n, 0x9f11, &cti, 1);
	put(fci, sizeof(fci), &m, 0x84, app->aid, app->aid_len);
	put(fci, sizeof(fci), &m, 0xa5, a5, n);
	wrap(0x6f, fci, m, out, sizeof(out), &o);
	c->selected = i;
	c->gpo_done = c->first_ac_done = c->second_ac_done = false;
	c->issuer_auth_ok = false;
	if (app->blocked)	/* FCI returned, but the application is blocked */
		return reply(a, out, o, 0x6283);
	return data_reply(c, a, out, o);
}

static int do_select(struct vcard *c, const uint8_t *cmd, size_t lc,
		     struct answer *a)
{
	const uint8_t *name = cmd + 5;
	bool next = (cmd[3] & 0x03) == 0x02;
	int start = next && c->selected >= 0 ? c->selected + 1 : 0;

	if (cmd[2] != 0x04)
		return sw_only(a, 0x6a86);
	if (lc == strlen(PSE_NAME) && !memcmp(name, PSE_NAME, lc))
		return c->p.has_pse ? fci_pse(c, a) : sw_only(a, 0x6a82);
	for (int i = start; i < (int)c->p.n_apps; i++) {
		const struct vcard_app *app = &c->p.apps[i];

		if (lc <= app->aid_len && !memcmp(app->aid, name, lc))
			return fci_app(c, a, i);
	}
	return sw_only(a, 0x6a82);
}

static int pse_record(struct vcard *c, uint8_t rec, struct answer *a)
{
	uint8_t list[240], entry[48], out[256];
	size_t n = 0, o;

	if (rec != 1)
		return sw_only(a, 0x6a83);
	for (size_t i = 0; i < c->p.n_apps; i++) {
		const struct vcard_app *app = &c->p.apps[i];
		size_t e = 0;

		put(entry, sizeof(entry), &e, 0x4f, app->aid, app->aid_len);
		put(entry, sizeof(entry), &e, 0x50, app->label,
		    strlen(app->label));
		if (app->priority)
			put(entry, sizeof(entry), &e, 0x87, &app->priority, 1);
		put(list, sizeof(list), &n, 0x61, entry, e);
	}
	wrap(0x70, list, n, out, sizeof(out), &o);
	return data_reply(c, a, out, o);
}

static int do_read_record(struct vcard *c, const uint8_t *cmd,
			  struct answer *a)
{
	uint8_t rec = cmd[2], sfi = cmd[3] >> 3;

	if ((cmd[3] & 7) != 4)
		return sw_only(a, 0x6a86);
	if (c->selected == PSE_SELECTED)
		return sfi == 1 ? pse_record(c, rec, a) : sw_only(a, 0x6a82);
	if (c->selected < 0 || !c->gpo_done)
		return sw_only(a, 0x6985);
	if (sfi == 1 && (rec == 1 || rec == 2))
		return data_reply(c, a, c->records[rec - 1],
				  c->record_len[rec - 1]);
	if (sfi == 2 && rec == 1)
		return data_reply(c, a, c->records[2], c->record_len[2]);
	if (sfi == 3 && (rec == 1 || rec == 2) && c->n_records == 5)
		return data_reply(c, a, c->records[2 + rec],
				  c->record_len[2 + rec]);
	return sw_only(a, 0x6a83);
}

static int do_gpo(struct vcard *c, const uint8_t *cmd, size_t lc,
		  struct answer *a)
{
	uint8_t body[32], out[40];
	size_t n = 0, o;

	if (c->selected < 0)
		return sw_only(a, 0x6985);
	/* 83 L, then 4 + 6 + 4 + 2 bytes for the PDOL above */
	if (lc != 18 || cmd[5] != 0x83 || cmd[6] != 16)
		return sw_only(a, 0x6700);
	put(body, sizeof(body), &n, 0x82, c->p.aip, 2);
	put(body, sizeof(body), &n, 0x94, c->afl, c->afl_len);
	wrap(0x77, body, n, out, sizeof(out), &o);
	c->gpo_done = true;
	memcpy(c->cda_trail, cmd + 7, 16);	/* the PDOL data */
	c->cda_trail_len = 16;
	return data_reply(c, a, out, o);
}

/* AC over the CDOL data || AIP || ATC under SK_AC(ATC). */
static int compute_ac(const struct vcard *c, const uint8_t *cdol_data,
		      size_t len, uint8_t ac[8])
{
	uint8_t input[64], atc[2], r[8], sk[16];
	int rc;

	atc[0] = (uint8_t)(c->p.atc >> 8);
	atc[1] = (uint8_t)c->p.atc;
	memcpy(input, cdol_data, len);
	memcpy(input + len, c->p.aip, 2);
	memcpy(input + len + 2, atc, 2);
	emv_session_r_from_atc(atc, r);
	rc = emv_derive_session_key(c->icc_mk, r, sk) ||
	     emv_ac_generate(sk, EMV_AC_PAD_EMV, input, len + 4, ac) ? -1 : 0;
	pcc_wipe(sk, sizeof(sk));
	return rc;
}

static bool arpc_ok(const struct vcard *c, const uint8_t *arpc,
		    const uint8_t arc[2])
{
	uint8_t atc[2] = { (uint8_t)(c->p.atc >> 8), (uint8_t)c->p.atc };
	uint8_t r[8], sk[16], expect[8];
	bool ok;

	emv_session_r_from_atc(atc, r);
	ok = !emv_derive_session_key(c->icc_mk, r, sk) &&
	     !emv_arpc_method1(sk, c->arqc, arc, expect) &&
	     pcc_equal(expect, arpc, 8);
	pcc_wipe(sk, sizeof(sk));
	return ok;
}

/*
 * A CDA answer (Book 2 6.6.1, format 2): 9F27, 9F36, 9F4B, 9F10, where the
 * signature holds the cryptogram and the hash of the PDOL and CDOL data
 * received with the other objects; the card's CDOLs end with 9F37, the
 * unpredictable number the signature also covers.
 */
static int cda_reply(struct vcard *c, struct answer *a, uint8_t cid,
		     const uint8_t ac[8], const uint8_t *cdol, size_t lc)
{
	struct signer_fields f = icc_fields(c);
	uint8_t dyn[1 + 8 + 1 + 8 + 20], sdad[SIGNER_MAX_KEY];
	uint8_t objs[64], body[SIGNER_MAX_KEY + 80], out[SIGNER_MAX_KEY + 84];
	uint8_t atc[2] = { (uint8_t)(c->p.atc >> 8), (uint8_t)c->p.atc };
	size_t n = 0, m = 0, o;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok;

	put(objs, sizeof(objs), &n, 0x9f27, &cid, 1);
	put(objs, sizeof(objs), &n, 0x9f36, atc, 2);
	put(objs, sizeof(objs), &n, 0x9f10, iad, sizeof(iad));
	dyn[0] = 8;
	memset(dyn + 1, 0xc5, 8);
	memcpy(dyn + 1, atc, 2);
	dyn[9] = cid;
	memcpy(dyn + 10, ac, 8);
	ok = md && EVP_DigestInit_ex(md, EVP_sha1(), NULL) > 0 &&
	     EVP_DigestUpdate(md, c->cda_trail, c->cda_trail_len) > 0 &&
	     EVP_DigestUpdate(md, objs, n) > 0 &&
	     EVP_DigestFinal_ex(md, dyn + 18, NULL) > 0;
	EVP_MD_CTX_free(md);
	if (!ok || signer_sdad(&c->icc_key, &f, dyn, sizeof(dyn),
			       cdol + lc - 4, 4, sdad))
		return sw_only(a, 0x6f00);
	if (c->p.oda_fault == VCARD_FAULT_SIGNATURE)
		sdad[40] ^= 0x01;
	/* 9F27 9F36 (4 + 5 bytes), then the signature, then 9F10 */
	memcpy(body, objs, 9);
	m = 9;
	put(body, sizeof(body), &m, 0x9f4b, sdad, c->icc_key.len);
	memcpy(body + m, objs + 9, n - 9);
	m += n - 9;
	wrap(0x77, body, m, out, sizeof(out), &o);
	return data_reply(c, a, out, o);
}

static int ac_reply(struct vcard *c, struct answer *a, uint8_t cid,
		    const uint8_t ac[8])
{
	uint8_t body[32], out[40];
	size_t o;

	body[0] = cid;
	body[1] = (uint8_t)(c->p.atc >> 8);
	body[2] = (uint8_t)c->p.atc;
	memcpy(body + 3, ac, 8);
	memcpy(body + 11, iad, sizeof(iad));
	wrap(0x80, body, 11 + sizeof(iad), out, sizeof(out), &o);
	return data_reply(c, a, out, o);
}

/* The terminal asked for a CDA signature (P1 b5) of a TC or an ARQC from
 * a CDA card: keep the CDOL data for the transaction data hash. */
static bool cda_asked(struct vcard *c, uint8_t p1, uint8_t cid,
		      const uint8_t *data, size_t lc)
{
	if (c->p.oda != VCARD_ODA_CDA ||
	    lc > sizeof(c->cda_trail) - c->cda_trail_len)
		return false;
	memcpy(c->cda_trail + c->cda_trail_len, data, lc);
	c->cda_trail_len += lc;
	return (p1 & 0x10) && cid != 0x00;
}

static int first_ac(struct vcard *c, uint8_t p1, const uint8_t *data,
		    size_t lc, struct answer *a)
{
	uint8_t ac[8], cid;

	if (lc != CDOL1_DATA_LEN)
		return sw_only(a, 0x6700);
	/* this card never approves offline: a TC request becomes ARQC */
	cid = (p1 & 0xc0) == 0x00 ? 0x00 : 0x80;
	c->p.atc++;
	if (compute_ac(c, data, lc, ac))
		return sw_only(a, 0x6f00);
	c->first_ac_done = true;
	if (cid == 0x80)
		memcpy(c->arqc, ac, 8);
	else
		c->second_ac_done = true;	/* declined: transaction over */
	if (cda_asked(c, p1, cid, data, lc))
		return cda_reply(c, a, cid, ac, data, lc);
	return ac_reply(c, a, cid, ac);
}

static int second_ac(struct vcard *c, uint8_t p1, const uint8_t *data,
		     size_t lc, struct answer *a)
{
	size_t want = c->p.issuer_auth_in_cdol2 ? 2 + 10 + 5 + 4 : 2 + 5 + 4;
	uint8_t ac[8], cid;

	if (lc != want)
		return sw_only(a, 0x6700);
	if (c->p.issuer_auth_in_cdol2)
		c->issuer_auth_ok = arpc_ok(c, data + 2, data + 10);
	cid = (p1 & 0xc0) == 0x40 && c->issuer_auth_ok &&
	      !memcmp(data, "00", 2) ? 0x40 : 0x00;
	if (compute_ac(c, data, lc, ac))
		return sw_only(a, 0x6f00);
	c->second_ac_done = true;
	if (cda_asked(c, p1, cid, data, lc))
		return cda_reply(c, a, cid, ac, data, lc);
	return ac_reply(c, a, cid, ac);
}

static int do_generate_ac(struct vcard *c, const uint8_t *cmd, size_t lc,
			  struct answer *a)
{
	if (!c->gpo_done || c->second_ac_done)
		return sw_only(a, 0x6985);
	if (!c->first_ac_done)
		return first_ac(c, cmd[2], cmd + 5, lc, a);
	return second_ac(c, cmd[2], cmd + 5, lc, a);
}

static int do_external_auth(struct vcard *c, const uint8_t *cmd, size_t lc,
			    struct answer *a)
{
	if (!c->first_ac_done || c->second_ac_done)
		return sw_only(a, 0x6985);
	if (lc != 10)
		return sw_only(a, 0x6700);
	c->issuer_auth_ok = arpc_ok(c, cmd + 5, cmd + 13);
	return sw_only(a, c->issuer_auth_ok ? 0x9000 : 0x6300);
}

static int do_get_data(struct vcard *c, const uint8_t *cmd, struct answer *a)
{
	uint8_t out[8];
	size_t o = 0;
	uint8_t atc[2] = { (uint8_t)(c->p.atc >> 8), (uint8_t)c->p.atc };
	uint8_t last[2] = { (uint8_t)(c->p.last_online_atc >> 8),
			    (uint8_t)c->p.last_online_atc };

	if (cmd[2] == 0x9f && cmd[3] == 0x17)
		put(out, sizeof(out), &o, 0x9f17, &c->p.pin_try_counter, 1);
	else if (cmd[2] == 0x9f && cmd[3] == 0x36)
		put(out, sizeof(out), &o, 0x9f36, atc, 2);
	else if (cmd[2] == 0x9f && cmd[3] == 0x13 && c->p.ucol)
		put(out, sizeof(out), &o, 0x9f13, last, 2);
	else
		return sw_only(a, 0x6a88);
	return data_reply(c, a, out, o);
}

/* DDA (Book 2 6.5): sign a fresh ICC dynamic number with the terminal's
 * DDOL data; answer in format 1 (80). */
static int do_internal_authenticate(struct vcard *c, const uint8_t *cmd,
				    size_t lc, struct answer *a)
{
	struct signer_fields f = icc_fields(c);
	/* ICC dynamic data: the number's length, the number (ATC, the
	 * terminal's UN, 5A 5A: unique per transaction) */
	uint8_t number[9], sdad[SIGNER_MAX_KEY], out[SIGNER_MAX_KEY + 4];
	size_t o = 0;

	if (c->p.oda != VCARD_ODA_DDA || !c->gpo_done)
		return sw_only(a, 0x6985);
	if (lc != ddol[2])
		return sw_only(a, 0x6700);
	number[0] = 8;
	number[1] = (uint8_t)(c->p.atc >> 8);
	number[2] = (uint8_t)c->p.atc;
	memcpy(number + 3, cmd + 5, 4);
	number[7] = number[8] = 0x5a;
	if (signer_sdad(&c->icc_key, &f, number, 9, cmd + 5, lc, sdad))
		return sw_only(a, 0x6f00);
	if (c->p.oda_fault == VCARD_FAULT_SIGNATURE)
		sdad[40] ^= 0x01;
	put(out, sizeof(out), &o, 0x80, sdad, c->icc_key.len);
	return data_reply(c, a, out, o);
}

/* VERIFY, plaintext PIN (P2 80, Book 3 6.5.12): the block is 2N, the
 * digits, F padding.  A wrong PIN costs a try; none left: 6983. */
static int do_verify(struct vcard *c, const uint8_t *cmd, size_t lc,
		     struct answer *a)
{
	char digits[13];
	const uint8_t *b = cmd + 5;
	size_t n;

	if (!c->p.offline_pin[0] || cmd[3] != 0x80)
		return sw_only(a, 0x6a81);
	if (lc != 8)
		return sw_only(a, 0x6700);
	n = b[0] & 0x0f;
	if (b[0] >> 4 != 2 || n < 4 || n > 12)
		return sw_only(a, 0x6a80);
	if (!c->p.pin_try_counter)
		return sw_only(a, 0x6983);
	for (size_t i = 0; i < n; i++)
		digits[i] = (char)('0' + (i % 2 ? b[1 + i / 2] & 0x0f :
					  b[1 + i / 2] >> 4));
	digits[n] = '\0';
	if (!strcmp(digits, c->p.offline_pin)) {
		c->p.pin_try_counter = 3;	/* reset to the limit */
		return sw_only(a, 0x9000);
	}
	c->p.pin_try_counter--;
	return sw_only(a, (uint16_t)(0x63c0 | c->p.pin_try_counter));
}

static int do_get_response(struct vcard *c, const uint8_t *cmd,
			   size_t len, struct answer *a)
{
	size_t le = len == 5 ? (cmd[4] ? cmd[4] : 256) : 0;
	int rc;

	if (!c->pending_len)
		return sw_only(a, 0x6985);
	if (le != c->pending_len)
		return sw_only(a, (uint16_t)(0x6c00 | (c->pending_len & 0xff)));
	rc = reply(a, c->pending, c->pending_len, 0x9000);
	c->pending_len = 0;
	return rc;
}

int vcard_transceive(void *card, const uint8_t *capdu, size_t capdu_len,
		     uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct vcard *c = card;
	struct answer a = { rapdu, rapdu_size, 0 };
	size_t lc = capdu_len > 5 ? capdu[4] : 0;
	int rc;

	if (c->p.remove_after && ++c->commands > c->p.remove_after)
		return -ENOMEDIUM;
	if (capdu_len < 4 || (capdu_len > 5 && capdu_len != 5 + lc &&
			      capdu_len != 6 + lc))
		rc = sw_only(&a, 0x6700);
	else if (capdu[1] == 0xc0 && capdu[0] == 0x00)
		rc = do_get_response(c, capdu, capdu_len, &a);
	else if (capdu[0] == 0x00 && capdu[1] == 0xa4)
		rc = do_select(c, capdu, lc, &a);
	else if (capdu[0] == 0x00 && capdu[1] == 0xb2)
		rc = do_read_record(c, capdu, &a);
	else if (capdu[0] == 0x80 && capdu[1] == 0xa8)
		rc = do_gpo(c, capdu, lc, &a);
	else if (capdu[0] == 0x80 && capdu[1] == 0xae)
		rc = do_generate_ac(c, capdu, lc, &a);
	else if (capdu[0] == 0x00 && capdu[1] == 0x82)
		rc = do_external_auth(c, capdu, lc, &a);
	else if (capdu[0] == 0x80 && capdu[1] == 0xca)
		rc = do_get_data(c, capdu, &a);
	else if (capdu[0] == 0x00 && capdu[1] == 0x88)
		rc = do_internal_authenticate(c, capdu, lc, &a);
	else if (capdu[0] == 0x00 && capdu[1] == 0x20)
		rc = do_verify(c, capdu, lc, &a);
	else if (capdu[0] != 0x00 && capdu[0] != 0x80 && capdu[0] != 0x84)
		rc = sw_only(&a, 0x6e00);
	else
		rc = sw_only(&a, 0x6d00);
	if (rc)
		return rc;
	*rapdu_len = a.len;
	return 0;
}
