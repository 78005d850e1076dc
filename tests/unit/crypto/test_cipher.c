// SPDX-License-Identifier: MIT
/*
 * Block ciphers, key check values, UnionPay working keys.
 * Sources of the vectors are given beside each one.
 */
#include "../test_hex.h"
#include "crypto/cipher.h"
#include "crypto/kcv.h"
#include "crypto/workkey.h"

/* FIPS 81 appendix B, table B1 (ECB) and B2 (CBC): DES key 0123456789ABCDEF,
 * "Now is the time for all ".  A single-length key runs as TDES K|K|K. */
static void test_des_fips81(void **state)
{
	uint8_t key[8], out[24], back[24], iv[8];
	const uint8_t *msg = (const uint8_t *)"Now is the time for all ";

	unhex("0123456789ABCDEF", key, 8);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_TDES, key, 8, msg, out, 24),
			 PCC_OK);
	assert_hex(out, 24, "3FA40E8A984D48156A271787AB8883F9893D51EC4B563B53");
	assert_int_equal(pcc_ecb_decrypt(PCC_ALG_TDES, key, 8, out, back, 24),
			 PCC_OK);
	assert_memory_equal(back, msg, 24);
	unhex("1234567890ABCDEF", iv, 8);
	assert_int_equal(pcc_cbc_encrypt(PCC_ALG_TDES, key, 8, iv, msg, out,
					 24), PCC_OK);
	assert_hex(out, 24, "E5C7CDDE872BF27C43E934008C389C0F683788499A7C05F6");
	assert_int_equal(pcc_cbc_decrypt(PCC_ALG_TDES, key, 8, iv, out, back,
					 24), PCC_OK);
	assert_memory_equal(back, msg, 24);
}

/* FIPS 197 appendix C.1-C.3: AES-128/192/256 over 00112233..EEFF. */
static void test_aes_fips197(void **state)
{
	static const char *expect[] = {
		"69C4E0D86A7B0430D8CDB78070B4C55A",
		"DDA97CA4864CDFE06EAF70A0EC0D7191",
		"8EA2B7CA516745BFEAFC49904B496089",
	};
	uint8_t key[32], pt[16], out[16];

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	unhex("00112233445566778899AABBCCDDEEFF", pt, 16);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pcc_ecb_encrypt(PCC_ALG_AES, key, 16 + 8 * i,
						 pt, out, 16), PCC_OK);
		assert_hex(out, 16, expect[i]);
	}
}

/* NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first block. */
static void test_aes_cbc_sp800_38a(void **state)
{
	uint8_t key[16], iv[16], pt[16], out[16];

	unhex("2B7E151628AED2A6ABF7158809CF4F3C", key, 16);
	unhex("000102030405060708090A0B0C0D0E0F", iv, 16);
	unhex("6BC1BEE22E409F96E93D7E117393172A", pt, 16);
	assert_int_equal(pcc_cbc_encrypt(PCC_ALG_AES, key, 16, iv, pt, out,
					 16), PCC_OK);
	assert_hex(out, 16, "7649ABAC8119B246CEE98E9B12E9197D");
}

/* GB/T 32907-2016 appendix A.1 (DESIGN.md): key = plaintext. */
static void test_sm4_gbt32907(void **state)
{
	uint8_t key[16], out[16], back[16];

	unhex("0123456789ABCDEFFEDCBA9876543210", key, 16);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_SM4, key, 16, key, out, 16),
			 PCC_OK);
	assert_hex(out, 16, "681EDF34D206965E86B3E94F536E4246");
	assert_int_equal(pcc_ecb_decrypt(PCC_ALG_SM4, key, 16, out, back, 16),
			 PCC_OK);
	assert_memory_equal(back, key, 16);
}

static void test_cipher_rejects_bad_lengths(void **state)
{
	uint8_t key[32] = { 0 }, buf[32] = { 0 };

	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_TDES, key, 15, buf, buf, 8),
			 PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_SM4, key, 24, buf, buf, 16),
			 PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_AES, key, 20, buf, buf, 16),
			 PCC_E_KEY_LENGTH);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_TDES, key, 16, buf, buf, 7),
			 PCC_E_DATA_LENGTH);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_AES, key, 16, buf, buf, 8),
			 PCC_E_DATA_LENGTH);
	assert_int_equal(pcc_cbc_encrypt(PCC_ALG_AES, key, 16, NULL, buf, buf,
					 16), PCC_E_ARGUMENT);
	assert_int_equal(pcc_ecb_encrypt(PCC_ALG_TDES, NULL, 16, buf, buf, 8),
			 PCC_E_ARGUMENT);
}

/* Odd parity: 0x01 has one bit set, 0xEE six. */
static void test_parity(void **state)
{
	uint8_t key[8];

	unhex("0123456789ABCDEF", key, 8);
	assert_int_equal(pcc_des_parity_check(key, 8), PCC_OK);
	key[7] = 0xEE;
	assert_int_equal(pcc_des_parity_check(key, 8), PCC_E_PARITY);
	pcc_des_parity_set(key, 8);
	assert_int_equal(key[7], 0xEF);
	assert_int_equal(pcc_des_parity_check(key, 8), PCC_OK);
}

/*
 * Check values: TR-31:2018 A.7.2.1 gives KCV CB9DEA for its TDES key,
 * A.7.2.2 gives 57C409 for 3F419E1C.. as TDES, A.7.4 gives 08793E for the
 * same bytes as an AES key (CMAC method); DESIGN.md gives the UnionPay
 * 4-byte value 0547DB3E of C24A8FB57AA20123.
 */
static void test_kcv_vectors(void **state)
{
	uint8_t key[16], kcv[8];

	unhex("F039121BEC83D26B169BDCD5B22AAF8F", key, 16);
	assert_int_equal(pcc_kcv(PCC_KCV_CLASSIC, PCC_ALG_TDES, key, 16, kcv,
				 3), PCC_OK);
	assert_hex(kcv, 3, "CB9DEA");
	unhex("3F419E1CB7079442AA37474C2EFBF8B8", key, 16);
	assert_int_equal(pcc_kcv(PCC_KCV_CLASSIC, PCC_ALG_TDES, key, 16, kcv,
				 3), PCC_OK);
	assert_hex(kcv, 3, "57C409");
	assert_int_equal(pcc_kcv(PCC_KCV_CMAC, PCC_ALG_AES, key, 16, kcv, 3),
			 PCC_OK);
	assert_hex(kcv, 3, "08793E");
	unhex("C24A8FB57AA20123", key, 8);
	assert_int_equal(pcc_kcv(PCC_KCV_CUP, PCC_ALG_TDES, key, 8, kcv, 4),
			 PCC_OK);
	assert_hex(kcv, 4, "0547DB3E");
	assert_int_equal(pcc_kcv_verify(PCC_KCV_CUP, PCC_ALG_TDES, key, 8,
					kcv, 4), PCC_OK);
	kcv[3] ^= 1;
	assert_int_equal(pcc_kcv_verify(PCC_KCV_CUP, PCC_ALG_TDES, key, 8,
					kcv, 4), PCC_E_CHECK_VALUE);
	/* UnionPay check values are TDES and exactly 4 bytes */
	assert_int_equal(pcc_kcv(PCC_KCV_CUP, PCC_ALG_AES, key, 16, kcv, 4),
			 PCC_E_ALGORITHM);
	assert_int_equal(pcc_kcv(PCC_KCV_CUP, PCC_ALG_TDES, key, 8, kcv, 3),
			 PCC_E_DATA_LENGTH);
}

/* DESIGN.md: master key 70F2.., field 62 key 96D6.. -> C24A.., CV 0547DB3E */
static void test_workkey_decrypt(void **state)
{
	uint8_t tmk[16], enc[8], cv[4], key[8];

	unhex("70F2A84CCBC2AE8625CBB0F2C22AB923", tmk, 16);
	unhex("96D605EA176B7E9E", enc, 8);
	unhex("0547DB3E", cv, 4);
	assert_int_equal(pcc_workkey_decrypt(tmk, 16, enc, 8, cv, true, key),
			 PCC_OK);
	assert_hex(key, 8, "C24A8FB57AA20123");
	/* host side produces the same field 62 entry */
	assert_int_equal(pcc_workkey_encrypt(tmk, 16, key, 8, enc, cv), PCC_OK);
	assert_hex(enc, 8, "96D605EA176B7E9E");
	assert_hex(cv, 4, "0547DB3E");
}

static void test_workkey_errors(void **state)
{
	uint8_t tmk[16], enc[8], cv[4], key[16], plain[8];

	unhex("70F2A84CCBC2AE8625CBB0F2C22AB923", tmk, 16);
	unhex("96D605EA176B7E9E", enc, 8);
	unhex("0547DB3F", cv, 4);	/* last bit changed */
	assert_int_equal(pcc_workkey_decrypt(tmk, 16, enc, 8, cv, true, key),
			 PCC_E_CHECK_VALUE);
	assert_true(key[0] == 0 && key[7] == 0);	/* wiped */
	unhex("0547DB3E", cv, 4);
	tmk[0] ^= 0x02;			/* wrong master key */
	assert_int_equal(pcc_workkey_decrypt(tmk, 16, enc, 8, cv, true, key),
			 PCC_E_CHECK_VALUE);
	assert_int_equal(pcc_workkey_decrypt(tmk, 16, enc, 7, cv, true, key),
			 PCC_E_DATA_LENGTH);
	/* a key without parity passes its check value but not the parity
	 * requirement: 1111.. has 4 bits per byte */
	tmk[0] ^= 0x02;
	unhex("1111111111111111", plain, 8);
	assert_int_equal(pcc_workkey_encrypt(tmk, 16, plain, 8, enc, cv),
			 PCC_OK);
	assert_int_equal(pcc_workkey_decrypt(tmk, 16, enc, 8, cv, false, key),
			 PCC_OK);
	assert_int_equal(pcc_workkey_decrypt(tmk, 16, enc, 8, cv, true, key),
			 PCC_E_PARITY);
}

static void test_strerror(void **state)
{
	assert_string_equal(pcc_status_name(PCC_E_PARITY), "PCC_E_PARITY");
	assert_string_not_equal(pcc_strerror(PCC_E_MAC),
				pcc_strerror(PCC_E_PARITY));
	assert_string_equal(pcc_strerror((enum pcc_status)999),
			    "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_des_fips81),
		cmocka_unit_test(test_aes_fips197),
		cmocka_unit_test(test_aes_cbc_sp800_38a),
		cmocka_unit_test(test_sm4_gbt32907),
		cmocka_unit_test(test_cipher_rejects_bad_lengths),
		cmocka_unit_test(test_parity),
		cmocka_unit_test(test_kcv_vectors),
		cmocka_unit_test(test_workkey_decrypt),
		cmocka_unit_test(test_workkey_errors),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
