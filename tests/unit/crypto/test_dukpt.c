// SPDX-License-Identifier: MIT
/*
 * DUKPT, host and terminal side.
 *
 * TDES vectors: ANSI X9.24-1:2009 annex A.4 (BDK 0123..3210, initial KSN
 * FFFF9876543210E00000; A.4.2 first 21 transactions, A.4.3 rollover
 * sequence), as reproduced in the openemv/dukpt test suite.
 * AES vectors: ANSI X9.24-3:2017 supplement test vectors (BDK FEDC..F1F1,
 * initial key ID 1234567890123456; AES-128 and AES-256 BDKs), same source,
 * and DESIGN.md for the PIN key and format 4 block.
 * The "current keys" / "derivation keys" of those tables are the keys the
 * terminal keeps in its registers, before the working-key step.
 */
#include <stdio.h>
#include "../test_hex.h"
#include "crypto/cipher.h"
#include "crypto/dukpt.h"

#define TDES_BDK	"0123456789ABCDEFFEDCBA9876543210"
#define TDES_IKSN	"FFFF9876543210E00000"
#define CLEAR_PINBLOCK	"041274EDCBA9876F"	/* ISO 0, 1234, 4012345678909 */

/* A.4.2: current key and encrypted PIN block of transactions 1..21. */
static const char *const tdes_initial[21][2] = {
	{ "042666B49184CFA368DE9628D0397BC9", "1B9C1845EB993A7A" },
	{ "C46551CEF9FD24B0AA9AD834130D3BC7", "10A01C8D02C69107" },
	{ "0DF3D9422ACA56E547676D07AD6BADFA", "18DC07B94797B466" },
	{ "279C0F6AEED0BE652B2C733E1383AE91", "0BC79509D5645DF7" },
	{ "5F8DC6D2C845C125508DDC048093B83F", "5BC0AF22AD87B327" },
	{ "5E415CB0BAF9F03CD0C14B63FB62FF43", "A16DF70AE36158D8" },
	{ "0C8F780B7C8B49D0AE84A9EB2A6CE660", "27711C16CB257F8E" },
	{ "27F66D5244FF62E1AA6F6120EDEB4280", "50E55547A5027551" },
	{ "27E31064FDC565698900E2057F658E7E", "536CF7F678ACFC8D" },
	{ "6CF2500A22507C7CC776CEADC1E33014", "EDABBA23221833FE" },
	{ "3E8260BA04B2D620C01482B3819A18B7", "2328981C57B4BDBA" },
	{ "B716E1E11CF53D80726CAEE75C3A624F", "038D03CC926CF286" },
	{ "E072EDF95340535FB6C581C58FBF2533", "6C8AA97088B62C68" },
	{ "A80046087F5B8F245AAD95E18429084F", "F17C9E1D72CD4950" },
	{ "93DD5B956C4878472E453AAEFD32A5AA", "B170F6E7F7F2F64A" },
	{ "59598DCBD9BD94C094165CE453585F57", "D5D9638559EF53D6" },
	{ "2B5F01F4F0CC05EA639D523231BF1BA2", "D544F8CDD292C863" },
	{ "9CF640F279C2AEE615F725EEEAC2CBAF", "7A21BD10F36DC41D" },
	{ "C3DF489FDF1153B4F03DE97C27DC4C2F", "78649BD17D0DFA60" },
	{ "658488507721B3F14737FA93F923CBD2", "7E7E16EA0C31AD56" },
	{ "E161D1956A61F6D2F37AFD7F9CC3699A", "72105C22EBC791E6" },
};

/* A.4.3: rollover sequence, KSN, current key, encrypted PIN block. */
static const char *const tdes_rollover[13][3] = {
	{ "FFFF9876543210EFF800", "F9CDFEBF4F5B1D9EB3EC12454527E176",
	  "33365F5CC6F23C35" },
	{ "FFFF9876543210EFF801", "5BEE92627E97825C911BF619DF72CA3B",
	  "3A86BF003F835C9D" },
	{ "FFFF9876543210EFF802", "64CA2F8AB93F61B01620B00BF77C7301",
	  "3DB977D05C36DF3F" },
	{ "FFFF9876543210EFF804", "35A168695B3BA83307E871C42021DD37",
	  "BA83243305712099" },
	{ "FFFF9876543210EFF808", "12C380FCB72ED3C26FC6079AF63F4787",
	  "B0DA04AC90A36D85" },
	{ "FFFF9876543210EFF810", "D8007C833A1E3C49C6889B97A68C54FF",
	  "2CF02BD9C309EEDA" },
	{ "FFFF9876543210EFF820", "A9C9FF9B735FDD49591F296B0BF0FD70",
	  "9D1E2F77AEEE81C6" },
	{ "FFFF9876543210EFF840", "0E3E221062CB5E03A384602783A004FA",
	  "40870B0F8BA2011C" },
	{ "FFFF9876543210EFF880", "CA8225C587124DFBB87F279C0BE29727",
	  "22E340D6ABB40981" },
	{ "FFFF9876543210EFF900", "906AAC1751D4971A144D52C76C6E1F97",
	  "1A4C10AFBA03A430" },
	{ "FFFF9876543210EFFA00", "2B9E2CE7C2750337E10B54D2989EA6AF",
	  "849763B43E5F9CFF" },
	{ "FFFF9876543210EFFC00", "F9430DF975082491C77BE4EF4FDB91EE",
	  "DEFC6F09F8927B71" },
	{ "FFFF9876543210F00000", "AA4D58DB653EC74A48C75F2F047DD2B5",
	  "73EC88AD0AC5830E" },
};

/* Encrypt the A.4 clear PIN block under @key and compare. */
static void assert_pin_encrypts(const uint8_t key[16], const char *expect)
{
	uint8_t clear[8], enc[8];

	unhex(CLEAR_PINBLOCK, clear, 8);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_TDES, key, 16, clear, enc, 8),
			 PCC_OK);
	assert_hex(enc, 8, expect);
}

static void test_tdes_host_initial_sequence(void **state)
{
	uint8_t bdk[16], ksn[10], ipek[16], key[16];

	unhex(TDES_BDK, bdk, 16);
	unhex(TDES_IKSN, ksn, 10);
	assert_int_equal(pcc_dukpt_tdes_ipek(bdk, ksn, ipek), PCC_OK);
	assert_hex(ipek, 16, "6AC292FAA1315B4D858AB3A3D7D5933A");
	for (int i = 0; i < 21; i++) {
		ksn[9] = (uint8_t)(i + 1);
		assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_PIN,
						       key), PCC_OK);
		assert_pin_encrypts(key, tdes_initial[i][1]);
		/* PIN variant: current key XOR 00..FF on both halves */
		key[7] ^= 0xFF;
		key[15] ^= 0xFF;
		assert_hex(key, 16, tdes_initial[i][0]);
	}
}

static void test_tdes_host_rollover(void **state)
{
	uint8_t bdk[16], ipek[16], ksn[10], key[16];

	unhex(TDES_BDK, bdk, 16);
	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", ipek, 16);
	for (int i = 0; i < 13; i++) {
		unhex(tdes_rollover[i][0], ksn, 10);
		assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_PIN,
						       key), PCC_OK);
		assert_pin_encrypts(key, tdes_rollover[i][2]);
		assert_int_equal(pcc_dukpt_tdes_derive_from_ipek(ipek, ksn,
					PCC_DUKPT_PIN, key), PCC_OK);
		assert_pin_encrypts(key, tdes_rollover[i][2]);
	}
}

/*
 * Working key variants of X9.24-1:2009 A.6 applied by hand to the current
 * key of transaction 1 (042666B49184CFA3 68DE9628D0397BC9):
 *   MAC request  XOR 000000000000FF00: CF->30, 7B->84
 *   MAC response XOR 00000000FF000000: 91->6E, D0->2F
 *   data request XOR 0000000000FF0000: 84->7B, 39->C6, then the key
 *   encrypts itself (TDES ECB), computed here with the FIPS-checked cipher.
 */
static void test_tdes_working_key_variants(void **state)
{
	uint8_t bdk[16], ksn[10], key[16], variant[16], expect[16];

	unhex(TDES_BDK, bdk, 16);
	unhex("FFFF9876543210E00001", ksn, 10);
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_MAC_REQUEST,
					       key), PCC_OK);
	assert_hex(key, 16, "042666B4918430A368DE9628D03984C9");
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn,
					       PCC_DUKPT_MAC_RESPONSE, key),
			 PCC_OK);
	assert_hex(key, 16, "042666B46E84CFA368DE96282F397BC9");
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_DATA_REQUEST,
					       key), PCC_OK);
	unhex("042666B4917BCFA368DE9628D0C67BC9", variant, 16);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_TDES, variant, 16, variant,
					 expect, 16), PCC_OK);
	assert_memory_equal(key, expect, 16);
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_MAC_BOTH,
					       key), PCC_E_ALGORITHM);
}

static void test_tdes_terminal_initial_sequence(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t ipek[16], iksn[10], ksn[10], key[16];
	char expect_ksn[21];

	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", ipek, 16);
	unhex(TDES_IKSN, iksn, 10);
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_TDES, ipek, 16,
						 iksn, 10), PCC_OK);
	for (int i = 0; i < 21; i++) {
		assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN, 0,
							key, ksn), PCC_OK);
		snprintf(expect_ksn, sizeof(expect_ksn), "FFFF9876543210E000%02X",
			 i + 1);
		assert_hex(ksn, 10, expect_ksn);
		assert_pin_encrypts(key, tdes_initial[i][1]);
		assert_hex(t.reg[__builtin_ctz(t.counter)], 16,
			   tdes_initial[i][0]);
		assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_OK);
	}
	pcc_dukpt_terminal_wipe(&t);
}

/*
 * A terminal at counter 0FF800 holds the current key in register 11 and the
 * key of 100000 in register 20 (both from A.4.3).  From there it must
 * produce the A.4.3 sequence: 0FF801..0FF880, 0FF900, 0FFA00, 0FFC00 (each
 * with 10 one bits, so their lower counters are skipped), then 100000.
 */
static void test_tdes_terminal_rollover(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t ksn[10], key[16];

	memset(&t, 0, sizeof(t));
	t.variant = PCC_DUKPT_TDES;
	t.key_type = PCC_DUKPT_2TDEA;
	unhex(TDES_IKSN, t.ksn, 10);
	t.counter = 0x0FF800;
	t.valid = 1u << 11 | 1u << 20;
	unhex(tdes_rollover[0][1], t.reg[11], 16);
	unhex(tdes_rollover[12][1], t.reg[20], 16);
	for (int i = 0; i < 13; i++) {
		assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN, 0,
							key, ksn), PCC_OK);
		assert_hex(ksn, 10, tdes_rollover[i][0]);
		assert_pin_encrypts(key, tdes_rollover[i][2]);
		assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_OK);
	}
	pcc_dukpt_terminal_wipe(&t);
}

/* Terminal and host agree over the first 2100 transactions; counter 7FF
 * (11 one bits) is skipped: 7FE is followed by 800. */
static void test_tdes_terminal_matches_host(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t bdk[16], ipek[16], iksn[10], ksn[10], tkey[16], hkey[16];
	uint32_t previous = 0;
	bool saw_7fe = false;

	unhex(TDES_BDK, bdk, 16);
	unhex(TDES_IKSN, iksn, 10);
	pcc_dukpt_tdes_ipek(bdk, iksn, ipek);
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_TDES, ipek, 16,
						 iksn, 10), PCC_OK);
	for (int i = 0; i < 2100; i++) {
		assert_int_equal(pcc_dukpt_terminal_key(&t,
					PCC_DUKPT_MAC_REQUEST, 0, tkey, ksn),
				 PCC_OK);
		assert_int_equal(pcc_dukpt_tdes_derive_from_ipek(ipek, ksn,
					PCC_DUKPT_MAC_REQUEST, hkey), PCC_OK);
		assert_memory_equal(tkey, hkey, 16);
		assert_true(__builtin_popcount(t.counter) <= 10);
		assert_true(t.counter > previous);
		assert_int_not_equal(t.counter, 0x7FF);
		if (previous == 0x7FE) {
			assert_int_equal(t.counter, 0x800);
			saw_7fe = true;
		}
		previous = t.counter;
		assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_OK);
	}
	assert_true(saw_7fe);
	pcc_dukpt_terminal_wipe(&t);
}

/* The last TDES counter is 1FF800 (bits 20..11): after it, exhaustion. */
static void test_tdes_terminal_exhaustion(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t key[16];

	memset(&t, 0, sizeof(t));
	t.variant = PCC_DUKPT_TDES;
	unhex(TDES_IKSN, t.ksn, 10);
	t.counter = 0x1FF800;
	t.valid = 1u << 11;
	memset(t.reg[11], 0x5A, 16);
	assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN, 0, key,
						NULL), PCC_OK);
	assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_E_DUKPT_EXHAUSTED);
	assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN, 0, key,
						NULL), PCC_E_DUKPT_EXHAUSTED);
	assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_E_DUKPT_EXHAUSTED);
}

static void test_tdes_errors(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t bdk[16], ksn[10], key[16];

	unhex(TDES_BDK, bdk, 16);
	unhex(TDES_IKSN, ksn, 10);	/* counter 0: no key */
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_PIN, key),
			 PCC_E_KSN);
	unhex("FFFF9876543210E007FF", ksn, 10);	/* 11 one bits */
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_PIN, key),
			 PCC_E_KSN);
	/* the initial load wants the counter bits clear */
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_TDES, bdk, 16,
						 ksn, 10), PCC_E_KSN);
	unhex(TDES_IKSN, ksn, 10);
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_TDES, bdk, 24,
						 ksn, 10), PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_TDES, bdk, 16,
						 ksn, 12), PCC_E_KSN);
}

#define AES_BDK128	"FEDCBA9876543210F1F1F1F1F1F1F1F1"
#define AES_BDK256	AES_BDK128 AES_BDK128
#define AES_IKID	"1234567890123456"

/* X9.24-3:2017 supplement, AES-128 BDK: derivation keys of counters 1..8. */
static const char *const aes128_first[8] = {
	"4F21B565BAD9835E112B6465635EAE44", "2F34D68DE10F68D38091A73B9E7C437C",
	"031504E530365CF81264238540518318", "0EEFC7ADA628BA68878DA9165A8A1887",
	"C2A7AC328A5DA2D6002D62465BFC028B", "D30F7D9351DA58448A2F5E92B4EE3B7D",
	"A8253CEED9AC042C54F75D35C8352278", "718EE6CF0B27E53D5F7AF99C4D8146A2",
};

/* Same for the AES-256 BDK. */
static const char *const aes256_first[8] = {
	"54AC2B32B145EA4A554CB8BC44B17467063A799856B1CCC2A138D36E8DBF78B3",
	"5DD5A0253842BBBE1D7C0DA27021412C6F1FAB53FB928DEAE56DA06090A9DE97",
	"8EEEF7C464AE415BB1D73FAED21993CD669F7999092A579EC6DD3CC680C65171",
	"C18CBED570B3B89ECADA7CEC9C224CD5A86ECF3DE377D3EFAB720F8C4D76B9D0",
	"6B3C3C93307151C25DC2309456F01C5C3108DAD571C321899A9B7E0C009FD2EB",
	"B8BB61AE3E2D5CD8C699E0C578FB2C7B89B0C0CF02DBAB60864D8049C986C844",
	"88D0ACA287B3066F5DE0C93396337D4C2DA8D92C1F720A576D62CEB4C979E01E",
	"20A796D5077D51B8E7613893A4F095B134E02917DC84BD391F3661D0873FF308",
};

static void test_aes_initial_keys(void **state)
{
	uint8_t bdk[32], id[8], ik[32];

	unhex(AES_IKID, id, 8);
	unhex(AES_BDK128, bdk, 16);
	assert_int_equal(pcc_dukpt_aes_initial_key(bdk, 16, id,
						   PCC_DUKPT_AES128, ik),
			 PCC_OK);
	assert_hex(ik, 16, "1273671EA26AC29AFA4D1084127652A1");
	unhex(AES_BDK256, bdk, 32);
	assert_int_equal(pcc_dukpt_aes_initial_key(bdk, 32, id,
						   PCC_DUKPT_AES256, ik),
			 PCC_OK);
	assert_hex(ik, 32, "CE9CE0C101D1138F97FB6CAD4DF045A7"
			   "083D4EAE2D35A31789D01CCF0949550F");
}

/* DESIGN.md: PIN key at counter 1, and the format 4 block under it. */
static void test_aes_pin_key(void **state)
{
	uint8_t bdk[16], ksn[12], key[16];

	unhex(AES_BDK128, bdk, 16);
	unhex(AES_IKID "00000001", ksn, 12);
	assert_int_equal(pcc_dukpt_aes_derive(bdk, 16, ksn, PCC_DUKPT_PIN,
					      PCC_DUKPT_AES128, key), PCC_OK);
	assert_hex(key, 16, "AF8CB133A78F8DC2D1359F18527593FB");
}

/* Terminal from the initial key: registers equal the standard's
 * derivation keys, working keys equal the host's. */
static void check_aes_terminal_first(const char *bdk_hex, size_t bdk_len,
				     const char *const expect[8])
{
	enum pcc_dukpt_key_type type = bdk_len == 16 ? PCC_DUKPT_AES128 :
				       PCC_DUKPT_AES256;
	struct pcc_dukpt_terminal t;
	uint8_t bdk[32], iksn[12], ik[32], ksn[12], tkey[32], hkey[32];

	unhex(bdk_hex, bdk, bdk_len);
	unhex(AES_IKID "00000000", iksn, 12);
	pcc_dukpt_aes_initial_key(bdk, bdk_len, iksn, type, ik);
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_AES, ik,
						 bdk_len, iksn, 12), PCC_OK);
	for (int i = 0; i < 8; i++) {
		assert_hex(t.reg[__builtin_ctz(t.counter)], bdk_len, expect[i]);
		assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_DATA_BOTH,
					PCC_DUKPT_AES128, tkey, ksn), PCC_OK);
		assert_int_equal(ksn[11], i + 1);
		assert_int_equal(pcc_dukpt_aes_derive(bdk, bdk_len, ksn,
					PCC_DUKPT_DATA_BOTH, PCC_DUKPT_AES128,
					hkey), PCC_OK);
		assert_memory_equal(tkey, hkey, 16);
		assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_OK);
	}
	pcc_dukpt_terminal_wipe(&t);
}

static void test_aes128_terminal_first(void **state)
{
	check_aes_terminal_first(AES_BDK128, 16, aes128_first);
}

static void test_aes256_terminal_first(void **state)
{
	check_aes_terminal_first(AES_BDK256, 32, aes256_first);
}

/*
 * Rollover: 1FFFE has 16 one bits, so the terminal skips 1FFFF and goes to
 * 20000 (register 17), whose child 20001 must match the supplement
 * (1FFFE E21E8C8D.., 20000 F7AE9025.., 20001 692C8EA4..).
 */
static void test_aes_terminal_rollover(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t key[16], ksn[12];

	memset(&t, 0, sizeof(t));
	t.variant = PCC_DUKPT_AES;
	t.key_type = PCC_DUKPT_AES128;
	unhex(AES_IKID "00000000", t.ksn, 12);
	t.counter = 0x1FFFE;
	t.valid = 1u << 1 | 1u << 17;
	unhex("E21E8C8D347F8561A2BE752DAA85A111", t.reg[1], 16);
	unhex("F7AE9025468A25D37B7249CFFED224C8", t.reg[17], 16);
	assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_OK);
	assert_int_equal(t.counter, 0x20000);
	assert_int_equal(pcc_dukpt_terminal_advance(&t), PCC_OK);
	assert_int_equal(t.counter, 0x20001);
	assert_hex(t.reg[0], 16, "692C8EA4013645135B36497131DF9D2C");
	assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN,
						PCC_DUKPT_AES128, key, ksn),
			 PCC_OK);
	assert_hex(ksn, 12, AES_IKID "00020001");
}

/*
 * The last four AES counters FFFE2000, FFFE4000, FFFE8000, FFFF0000 (16 one
 * bits each, keys from the supplement): the host, deriving from the BDK,
 * must agree with working keys taken from those registers; then the
 * terminal is exhausted.
 */
static void test_aes_terminal_last_keys(void **state)
{
	static const char *const last[4] = {
		"48E585B694EB0B18D5C35443E163C0BA",
		"396C2C7CA1EA701C03B86B7D41F0C562",
		"0387625F189B58AE03EF0E8CCA41105E",
		"F6BA59389BD14A9855BE9727E7C52E3C",
	};
	struct pcc_dukpt_terminal t;
	uint8_t bdk[16], tkey[16], hkey[16], ksn[12];

	unhex(AES_BDK128, bdk, 16);
	memset(&t, 0, sizeof(t));
	t.variant = PCC_DUKPT_AES;
	t.key_type = PCC_DUKPT_AES128;
	unhex(AES_IKID "00000000", t.ksn, 12);
	t.counter = 0xFFFE2000;
	for (int i = 0; i < 4; i++) {
		unhex(last[i], t.reg[13 + i], 16);
		t.valid |= 1u << (13 + i);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN,
					PCC_DUKPT_AES128, tkey, ksn), PCC_OK);
		assert_int_equal(pcc_dukpt_aes_derive(bdk, 16, ksn,
					PCC_DUKPT_PIN, PCC_DUKPT_AES128, hkey),
				 PCC_OK);
		assert_memory_equal(tkey, hkey, 16);
		assert_int_equal(pcc_dukpt_terminal_advance(&t),
				 i < 3 ? PCC_OK : PCC_E_DUKPT_EXHAUSTED);
	}
	assert_int_equal(pcc_dukpt_terminal_key(&t, PCC_DUKPT_PIN,
						PCC_DUKPT_AES128, tkey, ksn),
			 PCC_E_DUKPT_EXHAUSTED);
}

static void test_aes_errors(void **state)
{
	struct pcc_dukpt_terminal t;
	uint8_t bdk[32], ksn[12], key[32];

	unhex(AES_BDK128, bdk, 16);
	unhex(AES_IKID "0001FFFF", ksn, 12);	/* 17 one bits */
	assert_int_equal(pcc_dukpt_aes_derive(bdk, 16, ksn, PCC_DUKPT_PIN,
					      PCC_DUKPT_AES128, key),
			 PCC_E_KSN);
	unhex(AES_IKID "00000001", ksn, 12);
	/* never a working key stronger than the derivation key */
	assert_int_equal(pcc_dukpt_aes_derive(bdk, 16, ksn, PCC_DUKPT_PIN,
					      PCC_DUKPT_AES256, key),
			 PCC_E_ALGORITHM);
	assert_int_equal(pcc_dukpt_aes_derive(bdk, 15, ksn, PCC_DUKPT_PIN,
					      PCC_DUKPT_AES128, key),
			 PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_dukpt_terminal_load(&t, PCC_DUKPT_AES, bdk, 16,
						 ksn, 12), PCC_E_KSN);
	/* 2TDEA working keys from an AES derivation key are allowed */
	assert_int_equal(pcc_dukpt_aes_derive(bdk, 16, ksn, PCC_DUKPT_PIN,
					      PCC_DUKPT_2TDEA, key), PCC_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tdes_host_initial_sequence),
		cmocka_unit_test(test_tdes_host_rollover),
		cmocka_unit_test(test_tdes_working_key_variants),
		cmocka_unit_test(test_tdes_terminal_initial_sequence),
		cmocka_unit_test(test_tdes_terminal_rollover),
		cmocka_unit_test(test_tdes_terminal_matches_host),
		cmocka_unit_test(test_tdes_terminal_exhaustion),
		cmocka_unit_test(test_tdes_errors),
		cmocka_unit_test(test_aes_initial_keys),
		cmocka_unit_test(test_aes_pin_key),
		cmocka_unit_test(test_aes128_terminal_first),
		cmocka_unit_test(test_aes256_terminal_first),
		cmocka_unit_test(test_aes_terminal_rollover),
		cmocka_unit_test(test_aes_terminal_last_keys),
		cmocka_unit_test(test_aes_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
