// SPDX-License-Identifier: MIT
/*
 * Offline data authentication (EMV 4.3 Book 2 5-6, Book 3 10.3).
 *
 * Two kinds of evidence, neither produced by the code under test:
 *
 * - A real test card's data published by an EMV library nobody here wrote
 *   (openemv/emv-utils, tests/emv_rsa_test.c): Visa's 1984-bit test CA key
 *   A000000003 #94 (its modulus checked against Visa's published SHA-1
 *   check value C4A3...6E0F), the card's issuer public key certificate,
 *   Signed Static Application Data and ICC public key certificate, and the
 *   issuer key that library recovers.  The card's records are not
 *   published, so the SSAD and ICC certificate can only get as far as the
 *   hash over the static data: reaching EMV_ODA_HASH (not FORMAT) proves
 *   header, format, trailer and algorithm fields were recovered.
 *
 * - Certificates and signatures from the test world's signer
 *   (tests/emu/card/emv_signer.c: Book 2's tables, keys generated per run,
 *   OpenSSL's raw private-key operation and SHA-1), never from the
 *   library's own functions, with one field spoiled at a time.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../test_hex.h"
#include "common/hex.h"
#include "emv/oda.h"
#include "emv/risk.h"
#include "emv_signer.h"
#include "script_transport.h"

/* ---- the published Visa test card ------------------------------------ */

static const char visa94_modulus[] =
	"ACD2B12302EE644F3F835ABD1FC7A6F62CCE48FFEC622AA8EF062BEF6FB8BA8B"
	"C68BBF6AB5870EED579BC3973E121303D34841A796D6DCBC41DBF9E52C460979"
	"5C0CCF7EE86FA1D5CB041071ED2C51D2202F63F1156C58A92D38BC60BDF424E1"
	"776E2BC9648078A03B36FB554375FC53D57C73F5160EA59F3AFC5398EC7B6775"
	"8D65C9BFF7828B6B82D4BE124A416AB7301914311EA462C19F771F31B3B57336"
	"000DFF732D3B83DE07052D730354D297BEC72871DCCF0E193F171ABA27EE464C"
	"6A97690943D59BDABB2A27EB71CEEBDAFA1176046478FD62FEC452D5CA393296"
	"530AA3F41927ADFE434A2DF2AE3054F8840657A26E0FC617";
static const char visa94_checksum[] = "C4A3C43CCF87327D136B804160E47D43B60E6E0F";

static const char visa_issuer_cert[] =
	"665CD65C20DEAE638C7320EA011E5E2B33FC5070FF7D153D74FE9A01ABFF0B95"
	"87B3779C524577F8A57C19923B39CD3F5CCDD457D360DC2619CDBB94328777BB"
	"905E1CB79E280458F60C8C5593EFD22D6385512B11B7F2EAFE1184CF9066B9B4"
	"7A0BF832045066359AE465473D31B9F830A6DE7D88E969CB456033F8073BEC51"
	"2205920E3DEA773D3E36E1F46C2E8BDDC423FB675CA1710A3D0A06E9C7570919"
	"735190BD6ED65BD5EF92C0416BFE4094EA96A218013838EF337151A8BE7222DC"
	"F0717399553C4DDA16EBABB2DD386A07BDF313D970C1324CAAB885067691E3EE"
	"5E5D8B912799BD53C8E1830237E9EC0A9254D80B2BD3622C";
static const char visa_issuer_modulus[] =
	"DDD9039ACC0BB00E8D6C1A11BD78C055758C5AB4CC6A3735A23DDFCF16A8F7BA"
	"72B7060FD4A77A8F6CA5FB4F11300A671BF14DF26647DCB2DC1D018A78D0F7CB"
	"CA854ECB03D32BEECEDFA849256CCB4B0392F3CC36B838EBFD244C11C58EF44E"
	"D63196E6CD55E0AC7BCA87ED2CC4F475DC9999BA88BA0E00FA860D7763996ED8"
	"A01701E2AC0D285B1198FC8485AADF043FAA3848ED869D6EB3D970F4AC08A974"
	"74278842C85584E34B6FACC07207BC41";
static const char visa_ssad[] =
	"30661BC4D33D38F913D48429E6760FD9BDF2D9172A22F30418A29138A2D35A47"
	"3E2AE42A3A6E6EEDFBF99D6C8C21F12EB96FD717D67AE222DB53863257EC8D7D"
	"649E40F2A64D18659B2FB45D893A995B88AEC4209975975E8DB3AC516D4CDF4A"
	"26681C524F9EA5C3750283A2B8F4569F9A9672DE9B6ED2C529B9611B38F237C8"
	"BDCFF088988CB2DD6599B8E62D4E77EE5386B892BE36B7BFB553A2BFDE900FB7"
	"74C1A544CEB2C5A6CE9968927ED38B87";
static const char visa_icc_cert[] =
	"A6CDB529A1D8CB538E19A277764C633F3C2F468A6A7CC3B5EF3F5B9838B79003"
	"16A627927569F679EAE367E10160D7A1E08D9F20399F8B6FFE77A564B108DD92"
	"4458A89D966C980D1E52A0093CA1CFA44CB3FCCF102632A799486B409C34C1F6"
	"A3DCC3C1C0EE1C0F6E1EA7A33C1CDAEA9852AAA4B954D429C9EEDBF8803D6D15"
	"9CAB6B8DCAB0694B5850D5F3C4014B45ABCB5B8F69BFC647D94F9E0039439A2D"
	"5584DEAD27729C894615F62AE7AC8216";
static const char visa_icc_remainder[] =
	"4DD8A50B21B9CBF62BFAD4BB3F4CF6B5239F3FD23F8B93E96C84C9CE67DFD703"
	"59153855A8F735CAFBE5";


static void set_hex(struct emv_data *d, uint32_t tag, const char *hex)
{
	uint8_t v[EMV_VALUE_MAX];

	assert_int_equal(emv_data_set(d, tag, v, unhex(hex, v, sizeof(v))),
			 EMV_OK);
}

static void visa_capk(struct emv_capk *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->rid, "\xa0\x00\x00\x00\x03", 5);
	k->index = 0x94;
	k->modulus_len = unhex(visa94_modulus, k->modulus, sizeof(k->modulus));
	k->exponent[0] = 3;
	k->exponent_len = 1;
}

/* Our transcription of the CA key is Visa's: its published check value. */
static void test_capk_checksum(void **state)
{
	struct emv_capk k;
	uint8_t sum[20], want[20];

	visa_capk(&k);
	assert_int_equal(k.modulus_len, 248);
	assert_int_equal(emv_capk_checksum(&k, sum), EMV_OK);
	unhex(visa94_checksum, want, sizeof(want));
	assert_memory_equal(sum, want, 20);
}

struct visa_card {
	struct emv_capk capk;
	struct emv_data icc;
	struct emv_card_info card;
	struct emv_date today;
	struct emv_static_data sd;
	struct emv_oda_input in;
};

static void visa_card(struct visa_card *v)
{
	memset(v, 0, sizeof(*v));
	visa_capk(&v->capk);
	emv_data_init(&v->icc);
	set_hex(&v->icc, 0x90, visa_issuer_cert);
	set_hex(&v->icc, 0x9f32, "03");
	set_hex(&v->icc, 0x93, visa_ssad);
	set_hex(&v->icc, 0x9f46, visa_icc_cert);
	set_hex(&v->icc, 0x9f47, "03");
	set_hex(&v->icc, 0x9f48, visa_icc_remainder);
	strcpy(v->card.pan, "4761739001010119");
	v->today = (struct emv_date){ 25, 7, 1 };
	v->in = (struct emv_oda_input){
		.capk = &v->capk, .icc = &v->icc, .card = &v->card,
		.today = &v->today, .static_data = &v->sd,
	};
}

/* The issuer key emv-utils recovers from this certificate (issuer
 * identifier 476173, expiry 12/31, 176 bytes, exponent 3). */
static void test_visa_issuer_key(void **state)
{
	struct visa_card v;
	struct emv_public_key k;
	uint8_t want[176];

	visa_card(&v);
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_OK);
	assert_int_equal(k.modulus_len, 176);
	assert_int_equal(unhex(visa_issuer_modulus, want, sizeof(want)), 176);
	assert_memory_equal(k.modulus, want, 176);
	assert_int_equal(k.exponent_len, 1);
	assert_int_equal(k.exponent[0], 3);
}

static void test_visa_issuer_key_rejections(void **state)
{
	struct visa_card v;
	struct emv_public_key k;
	uint8_t cert[248];

	visa_card(&v);		/* another card's PAN: issuer 476173 differs */
	strcpy(v.card.pan, "4761749001010119");
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_IDENTITY);

	visa_card(&v);		/* after December 2031 */
	v.today = (struct emv_date){ 32, 1, 1 };
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_EXPIRED);
	v.today = (struct emv_date){ 31, 12, 31 };
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_OK);

	visa_card(&v);		/* emv-utils' invalid certificate: last byte */
	unhex(visa_issuer_cert, cert, sizeof(cert));
	cert[247] ^= 0x01;
	assert_int_equal(emv_data_set(&v.icc, 0x90, cert, 248), EMV_OK);
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_FORMAT);

	visa_card(&v);		/* emv-utils' invalid exponent 010001 */
	set_hex(&v.icc, 0x9f32, "010001");
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_HASH);

	visa_card(&v);		/* one byte short */
	assert_int_equal(emv_data_set(&v.icc, 0x90, cert, 247), EMV_OK);
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_LENGTH);

	visa_card(&v);
	v.in.capk = NULL;
	assert_int_equal(emv_recover_issuer_key(&v.in, &k), EMV_ODA_NO_CAPK);
}

/* Without the card's records the hash cannot match: everything before
 * it in the SSAD and the ICC certificate must have been recovered. */
static void test_visa_ssad_and_icc_cert_recover(void **state)
{
	struct visa_card v;
	struct emv_public_key issuer, icc;
	uint8_t dac[2];

	visa_card(&v);
	assert_int_equal(emv_recover_issuer_key(&v.in, &issuer), EMV_ODA_OK);
	assert_int_equal(emv_verify_ssad(&v.in, &issuer, dac), EMV_ODA_HASH);
	assert_int_equal(emv_recover_icc_key(&v.in, &issuer, &icc),
			 EMV_ODA_HASH);
	issuer.modulus[100] ^= 0x40;	/* another key: garbage recovered */
	assert_int_equal(emv_verify_ssad(&v.in, &issuer, dac), EMV_ODA_FORMAT);
}

/* ---- certificates from the test world's signer ------------------------ */

static struct signer_key ca, issuer_key, icc_key;

static int keys_setup(void **state)
{
	/* CA 1024 bits: room for 92 bytes of the 112-byte issuer key, 20 in
	 * the remainder; the 96-byte ICC key: room 70, remainder 26 */
	return signer_generate(&ca, 1024) || signer_generate(&issuer_key, 896) ||
	       signer_generate(&icc_key, 768);
}

#define PAN		"6212345678901232"
#define STATIC_DATA	"5A0862123456789012325F24033012315F25032001018E0A00000000000000001F00"
#define AIP		"6000"		/* SDA and DDA supported */
#define UN		"11223344"	/* terminal's 9F37 */

static const struct signer_fields good_issuer = {
	"621234FF", "1230", { 0x00, 0x00, 0x01 }, 0, 0x01, false,
};
static const struct signer_fields good_icc = {
	PAN, "1230", { 0x00, 0x00, 0x02 }, 0, 0x01, false,
};

struct card {
	struct emv_capk capk;
	struct emv_data icc, terminal;
	struct emv_card_info card;
	struct emv_date today;
	struct emv_static_data sd;
	struct emv_oda_input in;
	uint8_t tvr[5], tsi[2];
};

static void put(struct card *c, uint32_t tag, const uint8_t *v, size_t len)
{
	assert_int_equal(emv_data_set(&c->icc, tag, v, len), EMV_OK);
}

static void static_data(uint8_t *sd, size_t *len, bool with_aip)
{
	*len = unhex(STATIC_DATA, sd, 256);
	if (with_aip)
		*len += unhex(AIP, sd + *len, 2);
}

/* The issuer's certificate (90, 92), SSAD (93) and the ICC certificate
 * (9F46, 9F48) over the static data, AIP included when @aip_signed. */
static void sign_card(struct card *c, const struct signer_fields *issuer,
		      const struct signer_fields *icc, bool aip_signed)
{
	uint8_t cert[SIGNER_MAX_KEY], rem[SIGNER_MAX_KEY], sd[256];
	size_t rem_len, sd_len;

	static_data(sd, &sd_len, aip_signed);
	assert_int_equal(signer_issuer_cert(&ca, &issuer_key, issuer, cert,
					    rem, &rem_len), 0);
	put(c, 0x90, cert, ca.len);
	put(c, 0x92, rem, rem_len);
	assert_int_equal(signer_ssad(&issuer_key, issuer,
				     (const uint8_t *)"\xda\xc0", sd, sd_len,
				     cert), 0);
	put(c, 0x93, cert, issuer_key.len);
	assert_int_equal(signer_icc_cert(&issuer_key, &icc_key, icc, sd,
					 sd_len, cert, rem, &rem_len), 0);
	put(c, 0x9f46, cert, issuer_key.len);
	put(c, 0x9f48, rem, rem_len);
}

/* The card's INTERNAL AUTHENTICATE answer (format 1: 80 + SDAD) over
 * the DDOL data 9F37 = UN, as hex for the scripted transport. */
static void build_sdad_answer(char *out, size_t size,
			      const struct signer_fields *f)
{
	uint8_t sig[SIGNER_MAX_KEY], ddol[4];
	size_t n = icc_key.len, pos;

	unhex(UN, ddol, 4);
	assert_int_equal(signer_sdad(&icc_key, f, (const uint8_t *)
				     "\x08\x01\x02\x03\x04\x05\x06\x07\x08",
				     9, ddol, 4, sig), 0);
	assert_true(n < 128 && size > 2 * n + 9);
	pos = (size_t)snprintf(out, size, "80%02zX", n);
	for (size_t i = 0; i < n; i++)
		pos += (size_t)snprintf(out + pos, size - pos, "%02X", sig[i]);
	snprintf(out + pos, size - pos, "9000");
}

/* The card data store without @tag. */
static void drop(struct emv_data *d, uint32_t tag)
{
	struct emv_data copy = *d;

	emv_data_init(d);
	for (size_t i = 0; i < copy.n; i++)
		if (copy.obj[i].tag != tag)
			assert_int_equal(emv_data_set(d, copy.obj[i].tag,
						      copy.obj[i].value,
						      copy.obj[i].len), EMV_OK);
}

static const struct emv_capk *lookup(void *ctx, const uint8_t rid[5],
				     uint8_t index)
{
	struct card *c = ctx;

	return !memcmp(rid, c->capk.rid, 5) && index == c->capk.index ?
	       &c->capk : NULL;
}

static void card_init_signed(struct card *c, const struct signer_fields *issuer,
			     const struct signer_fields *icc, bool aip_signed)
{
	uint8_t sd[256];
	size_t sd_len;

	memset(c, 0, sizeof(*c));
	memcpy(c->capk.rid, "\xa0\x00\x00\x03\x33", 5);
	c->capk.index = 0x08;
	memcpy(c->capk.modulus, ca.n, ca.len);
	c->capk.modulus_len = ca.len;
	c->capk.exponent[0] = 3;
	c->capk.exponent_len = 1;
	emv_data_init(&c->icc);
	emv_data_init(&c->terminal);
	set_hex(&c->icc, 0x84, "A000000333010101");
	set_hex(&c->icc, 0x8f, "08");
	set_hex(&c->icc, 0x9f32, "03");
	set_hex(&c->icc, 0x9f47, "03");
	set_hex(&c->icc, 0x9f49, "9F3704");
	set_hex(&c->terminal, 0x9f37, UN);
	if (aip_signed)
		set_hex(&c->icc, 0x9f4a, "82");
	sign_card(c, issuer, icc, aip_signed);
	strcpy(c->card.pan, PAN);
	unhex(AIP, c->card.aip, 2);
	c->today = (struct emv_date){ 26, 12, 6 };
	static_data(sd, &sd_len, false);
	emv_static_data_add(&c->sd, 11, sd, sd_len);	/* whole record */
	c->in = (struct emv_oda_input){
		.icc = &c->icc, .card = &c->card, .today = &c->today,
		.static_data = &c->sd, .capk_lookup = lookup, .ctx = c,
	};
}

static void card_init(struct card *c, const struct signer_fields *issuer)
{
	card_init_signed(c, issuer, &good_icc, false);
}

/* Run emv_oda_perform with capabilities @cap3 (9F33 byte 3). */
static struct emv_oda_result perform(struct card *c, uint8_t cap3,
				     const struct script_step *steps,
				     size_t n)
{
	const uint8_t caps[3] = { 0x20, 0x40, cap3 };
	struct script_transport s;
	struct emv_oda_result r;

	script_init(&s, steps, n);
	assert_int_equal(emv_oda_perform(&s.t, &c->in, caps,
					 (const uint8_t *)"\x9f\x37\x04", 3,
					 &c->terminal, &c->icc, c->tvr, c->tsi,
					 &r), EMV_OK);
	assert_int_equal(s.pos, s.n);
	return r;
}

static void expect_tvr(const struct card *c, const char *hex)
{
	uint8_t want[5];

	unhex(hex, want, 5);
	assert_memory_equal(c->tvr, want, 5);
}

static void test_sda_approved(void **state)
{
	struct card c;
	struct emv_oda_result r;
	size_t len;

	card_init(&c, &good_issuer);
	r = perform(&c, 0x80, NULL, 0);		/* terminal: SDA only */
	assert_int_equal(r.method, EMV_ODA_SDA);
	assert_int_equal(r.error, EMV_ODA_OK);
	expect_tvr(&c, "0200000000");		/* SDA selected, nothing failed */
	assert_int_equal(c.tsi[0], EMV_TSI_ODA_PERFORMED);
	assert_memory_equal(emv_data_get(&c.icc, 0x9f45, &len), "\xda\xc0", 2);
}

/* 9F4A = 82: the AIP is part of what the issuer signed. */
static void test_sda_tag_list(void **state)
{
	struct card c;

	card_init_signed(&c, &good_issuer, &good_icc, true);
	assert_int_equal(perform(&c, 0x80, NULL, 0).error, EMV_ODA_OK);
	set_hex(&c.icc, 0x9f4a, "9F36");	/* any other tag: failure */
	memset(c.tvr, 0, 5);
	assert_int_equal(perform(&c, 0x80, NULL, 0).error, EMV_ODA_STATIC_DATA);
	expect_tvr(&c, "4200000000");
}

/* Each spoiled field gives its error and "SDA failed". */
static void test_sda_failures(void **state)
{
	static const struct {
		struct signer_fields f;
		enum emv_oda_error e;
	} cases[] = {
		{ { "621235FF", "1230", { 0, 0, 1 }, 0, 1, false }, EMV_ODA_IDENTITY },
		{ { "62FFFFFF", "1230", { 0, 0, 1 }, 0, 1, false }, EMV_ODA_IDENTITY },
		{ { "621234FF", "1126", { 0, 0, 1 }, 0, 1, false }, EMV_ODA_EXPIRED },
		{ { "621234FF", "1230", { 0, 0, 1 }, 0, 2, false }, EMV_ODA_ALGORITHM },
		{ { "621234FF", "1230", { 0, 0, 1 }, 0x12, 1, false }, EMV_ODA_FORMAT },
		{ { "621234FF", "1230", { 0, 0, 1 }, 0, 1, true }, EMV_ODA_HASH },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct card c;
		struct emv_oda_result r;

		card_init(&c, &cases[i].f);
		r = perform(&c, 0x80, NULL, 0);
		assert_int_equal(r.error, cases[i].e);
		expect_tvr(&c, "4200000000");
		assert_int_equal(c.tsi[0], EMV_TSI_ODA_PERFORMED);
	}
}

static bool revoked_serial_1(void *ctx, const uint8_t rid[5], uint8_t index,
			     const uint8_t serial[3])
{
	return index == 0x08 && !memcmp(serial, "\x00\x00\x01", 3);
}

static void test_sda_revoked_and_missing(void **state)
{
	struct card c;
	uint8_t rec[8];

	card_init(&c, &good_issuer);
	c.in.revoked = revoked_serial_1;
	assert_int_equal(perform(&c, 0x80, NULL, 0).error, EMV_ODA_REVOKED);

	card_init(&c, &good_issuer);	/* the static data changed after signing */
	emv_static_data_add(&c.sd, 11, (const uint8_t *)"\x9f\x08\x02\x00\x30", 5);
	assert_int_equal(perform(&c, 0x80, NULL, 0).error, EMV_ODA_HASH);

	card_init(&c, &good_issuer);	/* an SFI 1..10 ODA record that is not a 70 */
	emv_static_data_add(&c.sd, 1, rec, unhex("5A03123456", rec, 8));
	assert_int_equal(perform(&c, 0x80, NULL, 0).error, EMV_ODA_STATIC_DATA);

	card_init(&c, &good_issuer);	/* the terminal lacks the key */
	c.capk.index = 0x09;
	assert_int_equal(perform(&c, 0x80, NULL, 0).error, EMV_ODA_NO_CAPK);
	expect_tvr(&c, "4200000000");

	/* card data missing: SDA failed and ICC data missing (Book 3 10.3) */
	static const uint32_t needed[] = { 0x8f, 0x90, 0x92, 0x9f32, 0x93 };

	for (size_t i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		card_init(&c, &good_issuer);
		drop(&c.icc, needed[i]);
		assert_int_equal(perform(&c, 0x80, NULL, 0).error,
				 needed[i] == 0x92 ? EMV_ODA_HASH :
				 EMV_ODA_DATA_MISSING);
		expect_tvr(&c, needed[i] == 0x92 ? "4200000000" : "6200000000");
	}
}

static void test_dda_approved(void **state)
{
	char answer[600];
	struct card c;
	struct emv_oda_result r;
	size_t len;

	build_sdad_answer(answer, sizeof(answer), &good_icc);
	const struct script_step steps[] = {
		{ "008800000411223344", answer, 0 },
	};
	card_init(&c, &good_issuer);
	r = perform(&c, 0xc0, steps, 1);	/* terminal: SDA and DDA */
	assert_int_equal(r.method, EMV_ODA_DDA);
	assert_int_equal(r.error, EMV_ODA_OK);
	expect_tvr(&c, "0000000000");
	assert_int_equal(c.tsi[0], EMV_TSI_ODA_PERFORMED);
	assert_memory_equal(emv_data_get(&c.icc, 0x9f4c, &len),
			    "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	assert_int_equal(len, 8);
}

static void test_dda_failures(void **state)
{
	char answer[600];
	struct card c;

	struct signer_fields spoilt = good_icc;

	spoilt.wrong_hash = true;
	build_sdad_answer(answer, sizeof(answer), &spoilt);
	const struct script_step spoiled[] = {
		{ "008800000411223344", answer, 0 },
	};
	card_init(&c, &good_issuer);
	assert_int_equal(perform(&c, 0xc0, spoiled, 1).error, EMV_ODA_HASH);
	expect_tvr(&c, "0800000000");		/* DDA failed */

	const struct script_step refused[] = {
		{ "008800000411223344", "6985", 0 },
	};
	card_init(&c, &good_issuer);
	assert_int_equal(perform(&c, 0xc0, refused, 1).error, EMV_ODA_CARD);
	expect_tvr(&c, "0800000000");

	card_init(&c, &good_issuer);	/* a DDOL without the unpredictable number */
	set_hex(&c.icc, 0x9f49, "9F3602");
	assert_int_equal(perform(&c, 0xc0, NULL, 0).error, EMV_ODA_DDOL);

	struct signer_fields other_pan = good_icc;	/* another card's PAN */

	strcpy(other_pan.id, "6212345678901240");
	card_init_signed(&c, &good_issuer, &other_pan, false);
	assert_int_equal(perform(&c, 0xc0, NULL, 0).error, EMV_ODA_IDENTITY);
	expect_tvr(&c, "0800000000");
}

/* A pulled card during INTERNAL AUTHENTICATE ends the transaction. */
static void test_dda_card_removed(void **state)
{
	const struct script_step steps[] = {
		{ "0088000004", NULL, -ENOMEDIUM },
	};
	const uint8_t caps[3] = { 0x20, 0x40, 0xc0 };
	struct script_transport s;
	struct emv_oda_result r;
	struct card c;

	card_init(&c, &good_issuer);
	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_oda_perform(&s.t, &c.in, caps, NULL, 0,
					 &c.terminal, &c.icc, c.tvr, c.tsi,
					 &r), EMV_E_CARD_REMOVED);
}

/* Book 3 10.3: nothing in common, nothing performed; TSI untouched. */
static void test_method_selection(void **state)
{
	struct card c;

	card_init(&c, &good_issuer);
	assert_int_equal(perform(&c, 0x08, NULL, 0).method, EMV_ODA_NONE);
	expect_tvr(&c, "8000000000");
	assert_int_equal(c.tsi[0], 0);

	card_init(&c, &good_issuer);
	unhex("4000", c.card.aip, 2);	/* card: SDA only */
	assert_int_equal(perform(&c, 0xc0, NULL, 0).method, EMV_ODA_SDA);
	unhex("2000", c.card.aip, 2);	/* card: DDA only, terminal SDA only */
	memset(c.tvr, 0, 5);
	assert_int_equal(perform(&c, 0x80, NULL, 0).method, EMV_ODA_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capk_checksum),
		cmocka_unit_test(test_visa_issuer_key),
		cmocka_unit_test(test_visa_issuer_key_rejections),
		cmocka_unit_test(test_visa_ssad_and_icc_cert_recover),
		cmocka_unit_test(test_sda_approved),
		cmocka_unit_test(test_sda_tag_list),
		cmocka_unit_test(test_sda_failures),
		cmocka_unit_test(test_sda_revoked_and_missing),
		cmocka_unit_test(test_dda_approved),
		cmocka_unit_test(test_dda_failures),
		cmocka_unit_test(test_dda_card_removed),
		cmocka_unit_test(test_method_selection),
	};

	return cmocka_run_group_tests(tests, keys_setup, NULL);
}
