// SPDX-License-Identifier: MIT
/* MACs: UnionPay ECB, ISO 9797-1 algorithms 1 and 3, CMAC. */
#include "../test_hex.h"
#include "crypto/mac.h"

static const struct pcc_mac_spec alg1_tdes_pad1 = {
	PCC_MAC_ISO9797_ALG1, PCC_ALG_TDES, PCC_PAD_METHOD1 };
static const struct pcc_mac_spec alg1_tdes_pad2 = {
	PCC_MAC_ISO9797_ALG1, PCC_ALG_TDES, PCC_PAD_METHOD2 };
static const struct pcc_mac_spec alg3_pad1 = {
	PCC_MAC_ISO9797_ALG3, PCC_ALG_TDES, PCC_PAD_METHOD1 };

/* DESIGN.md worked examples of the UnionPay ECB MAC (field 64). */
static void test_cup_ecb_vectors(void **state)
{
	const char *msg = "0200 Sale of 12.34 CNY at terminal 10000159";
	uint8_t mak[16], mac[8];

	unhex("0123456789ABCDEFFEDCBA9876543210", mak, 16);
	assert_int_equal(strlen(msg), 43);
	assert_int_equal(pcc_mac_cup_ecb(mak, 16, (const uint8_t *)msg, 43,
					 mac), PCC_OK);
	assert_hex(mac, 8, "4539423038433239");
	assert_memory_equal(mac, "E9B08C29", 8);
	unhex("1C587F1C13924FEF", mak, 8);
	assert_int_equal(pcc_mac_cup_ecb(mak, 8, (const uint8_t *)"01234567890",
					 11, mac), PCC_OK);
	assert_hex(mac, 8, "4432393832444235");
}

static void test_cup_ecb_verify(void **state)
{
	static const struct pcc_mac_spec cup = { .alg = PCC_MAC_CUP_ECB };
	uint8_t mak[8], mac[8];
	const uint8_t *msg = (const uint8_t *)"01234567890";

	unhex("1C587F1C13924FEF", mak, 8);
	memcpy(mac, "D2982DB5", 8);
	assert_int_equal(pcc_mac_verify(&cup, mak, 8, msg, 11, mac, 8), PCC_OK);
	mac[7] = '6';
	assert_int_equal(pcc_mac_verify(&cup, mak, 8, msg, 11, mac, 8),
			 PCC_E_MAC);
	mac[7] = '5';
	assert_int_equal(pcc_mac_verify(&cup, mak, 8, (const uint8_t *)
					"01234567891", 11, mac, 8), PCC_E_MAC);
	assert_int_equal(pcc_mac_cup_ecb(mak, 24 - 1, msg, 11, mac),
			 PCC_E_KEY_LENGTH);
}

/*
 * ANSI X9.19 retail MAC (DESIGN.md): key 0123..3210, "Now is the time for
 * all " -> A1C72E74EA3FA9B6.
 */
static void test_alg3_x919(void **state)
{
	uint8_t key[16], mac[8];

	unhex("0123456789ABCDEFFEDCBA9876543210", key, 16);
	assert_int_equal(pcc_mac(&alg3_pad1, key, 16, (const uint8_t *)
				 "Now is the time for all ", 24, mac, 8), PCC_OK);
	assert_hex(mac, 8, "A1C72E74EA3FA9B6");
	assert_int_equal(pcc_mac_verify(&alg3_pad1, key, 16, (const uint8_t *)
					"Now is the time for all ", 24, mac, 4),
			 PCC_OK);
	assert_int_equal(pcc_mac(&alg3_pad1, key, 8, (const uint8_t *)"x", 1,
				 mac, 8), PCC_E_KEY_LENGTH);
}

/*
 * ANSI X9.9 / FIPS 113 example: DES key 0123456789ABCDEF, message
 * "7654321 Now is the time for " (28 bytes, zero padded) -> CBC-MAC
 * F1D30F6849312CA4 (the first 4 bytes F1D30F68 are the published MAC).
 * Single-length key = TDES K|K|K.
 */
static void test_alg1_x99(void **state)
{
	uint8_t key[8], mac[8];
	const char *msg = "7654321 Now is the time for ";

	unhex("0123456789ABCDEF", key, 8);
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 8, (const uint8_t *)msg,
				 28, mac, 8), PCC_OK);
	assert_hex(mac, 8, "F1D30F6849312CA4");
}

/*
 * Derived from the definitions (ISO 9797-1 6.1, 7.3): padding method 2 of
 * M equals method 1 of M || 80, and alg 3 with K1 = K2 is alg 1 with single
 * DES K1 because E(K1, D(K1, x)) = x.  Also exercises the streaming path
 * with a message longer than the internal scratch buffer.
 */
static void test_padding_and_alg3_relations(void **state)
{
	uint8_t key[16], msg[1100], padded[1101], a[8], b[8];

	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	memcpy(padded, msg, sizeof(msg));
	padded[sizeof(msg)] = 0x80;
	unhex("0123456789ABCDEFFEDCBA9876543210", key, 16);
	assert_int_equal(pcc_mac(&alg1_tdes_pad2, key, 16, msg, sizeof(msg), a,
				 8), PCC_OK);
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 16, padded,
				 sizeof(padded), b, 8), PCC_OK);
	assert_memory_equal(a, b, 8);
	memcpy(key + 8, key, 8);
	assert_int_equal(pcc_mac(&alg3_pad1, key, 16, msg, sizeof(msg), a, 8),
			 PCC_OK);
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 8, msg, sizeof(msg), b,
				 8), PCC_OK);
	assert_memory_equal(a, b, 8);
	/* method 1 on an empty message is one zero block: E(K, 0^8) */
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 8, NULL, 0, a, 8),
			 PCC_OK);
	memset(padded, 0, 8);
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 8, padded, 8, b, 8),
			 PCC_OK);
	assert_memory_equal(a, b, 8);
}

/* NIST SP 800-38B: TDES (DESIGN.md) and AES-128 examples D.1 / RFC 4493. */
static void test_cmac_vectors(void **state)
{
	static const struct pcc_mac_spec tdes = { PCC_MAC_CMAC, PCC_ALG_TDES,
						  0 };
	static const struct pcc_mac_spec aes = { PCC_MAC_CMAC, PCC_ALG_AES, 0 };
	uint8_t key[16], msg[16], mac[16];

	unhex("0123456789ABCDEF23456789ABCDEF01", key, 16);
	assert_int_equal(pcc_mac(&tdes, key, 16, NULL, 0, mac, 8), PCC_OK);
	assert_hex(mac, 8, "79CE52A7F786A960");
	unhex("2B7E151628AED2A6ABF7158809CF4F3C", key, 16);
	assert_int_equal(pcc_mac(&aes, key, 16, NULL, 0, mac, 16), PCC_OK);
	assert_hex(mac, 16, "BB1D6929E95937287FA37D129B756746");
	unhex("6BC1BEE22E409F96E93D7E117393172A", msg, 16);
	assert_int_equal(pcc_mac(&aes, key, 16, msg, 16, mac, 16), PCC_OK);
	assert_hex(mac, 16, "070A16B46B4D4144F79BDD9DD04A287C");
	mac[15] ^= 1;
	assert_int_equal(pcc_mac_verify(&aes, key, 16, msg, 16, mac, 16),
			 PCC_E_MAC);
}

/*
 * SM4-CMAC has no published vector at hand, so it is checked against the
 * SP 800-38B definition for one complete block M: L = E(K, 0),
 * K1 = L << 1 (XOR 0x87 into the last byte when L's top bit is set),
 * CMAC = E(K, M XOR K1), computed with the GB/T-checked SM4 primitive.
 */
static void test_cmac_sm4_definition(void **state)
{
	static const struct pcc_mac_spec sm4 = { PCC_MAC_CMAC, PCC_ALG_SM4, 0 };
	uint8_t key[16], msg[16], zero[16] = { 0 }, l[16], k1[16], x[16];
	uint8_t expect[16], mac[16];

	unhex("0123456789ABCDEFFEDCBA9876543210", key, 16);
	unhex("6BC1BEE22E409F96E93D7E117393172A", msg, 16);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_SM4, key, 16, zero, l, 16),
			 PCC_OK);
	for (int i = 0; i < 16; i++)
		k1[i] = (uint8_t)(l[i] << 1 | (i < 15 ? l[i + 1] >> 7 : 0));
	if (l[0] & 0x80)
		k1[15] ^= 0x87;
	for (int i = 0; i < 16; i++)
		x[i] = msg[i] ^ k1[i];
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_SM4, key, 16, x, expect, 16),
			 PCC_OK);
	assert_int_equal(pcc_mac(&sm4, key, 16, msg, 16, mac, 16), PCC_OK);
	assert_memory_equal(mac, expect, 16);
}

static void test_mac_argument_errors(void **state)
{
	static const struct pcc_mac_spec bad_pad = {
		PCC_MAC_ISO9797_ALG1, PCC_ALG_TDES, 3 };
	uint8_t key[16] = { 1 }, mac[16];

	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 16, (const uint8_t *)
				 "a", 1, mac, 9), PCC_E_DATA_LENGTH);
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 16, (const uint8_t *)
				 "a", 1, mac, 0), PCC_E_DATA_LENGTH);
	assert_int_equal(pcc_mac(&bad_pad, key, 16, (const uint8_t *)"a", 1,
				 mac, 8), PCC_E_ARGUMENT);
	assert_int_equal(pcc_mac(NULL, key, 16, (const uint8_t *)"a", 1, mac,
				 8), PCC_E_ARGUMENT);
	assert_int_equal(pcc_mac(&alg1_tdes_pad1, key, 16, NULL, 5, mac, 8),
			 PCC_E_ARGUMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cup_ecb_vectors),
		cmocka_unit_test(test_cup_ecb_verify),
		cmocka_unit_test(test_alg3_x919),
		cmocka_unit_test(test_alg1_x99),
		cmocka_unit_test(test_padding_and_alg3_relations),
		cmocka_unit_test(test_cmac_vectors),
		cmocka_unit_test(test_cmac_sm4_definition),
		cmocka_unit_test(test_mac_argument_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
