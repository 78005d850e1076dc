// SPDX-License-Identifier: MIT
/*
 * TR-31 key blocks.  Vectors: ASC X9 TR 31-2018 annex A examples (A.7.2.1
 * version A, A.7.2.2 version B, A.7.3.1 version C with a KS optional block,
 * A.7.3.2 version B with KS, A.7.4 version D) and blocks produced by a
 * Thales payShield 10k HSM, both as published in the openemv/tr31 test
 * suite; KCVs beside the keys come from the same sources.
 */
#include <stdio.h>
#include "../test_hex.h"
#include "crypto/kcv.h"
#include "crypto/tr31.h"

struct tr31_vector {
	const char *source;
	const char *kbpk;
	const char *block;
	const char *key;
	const char *kcv;	/* classic for TDES keys, CMAC for AES keys */
};

static const struct tr31_vector vectors[] = {
	{ "TR-31:2018 A.7.2.1", "89E88CF7931444F334BD7547FC3F380C",
	  "A0072P0TE00E0000F5161ED902807AF26F1D62263644BD24192FDB3193C730301CEE8701",
	  "F039121BEC83D26B169BDCD5B22AAF8F", "CB9DEA" },
	{ "TR-31:2018 A.7.2.2", "DD7515F2BFC17F85CE48F3CA25CB21F6",
	  "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E",
	  "3F419E1CB7079442AA37474C2EFBF8B8", "57C409" },
	{ "TR-31:2018 A.7.3.1", "B8ED59E0A279A295E9F5ED7944FD06B9",
	  "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C",
	  "EDB380DD340BC2620247D445F5B8D678", "F4B08D" },
	{ "TR-31:2018 A.7.3.2", "1D22BF32387C600AD97F9B97A51311AC",
	  "B0104B0TX12S0100KS1800604B120F9292800000BB68BE8680A400D9191AD4ECE45B6E6C0D21C4738A52190E248719E24B433627",
	  "E8BC63E5479455E26577F715D587FE68", "9A4212" },
	{ "TR-31:2018 A.7.4",
	  "88E1AB2A2E3DD38C1FA039A536500CC8A87AB9D62DC92C01058FA79F44657DE6",
	  "D0112P0AE00E0000B82679114F470F540165EDFBF7E250FCEA43F810D215F8D207E2E417C07156A27E8E31DA05F7425509593D03A457DC34",
	  "3F419E1CB7079442AA37474C2EFBF8B8", "08793E" },
	{ "payShield 10k, version A", "EFE0853B256B583D868F251CE99EA1D9",
	  "A0072K0TN00N0000F40D5672C6D0EC86F860BA88D44D00F0CA9A8CE8CD2F640287A9A9EB",
	  "5DB50B454F8389ADCE573BE50861F2BF", "5C9405" },
	{ "payShield 10k, version B", "EFE0853B256B583D868F251CE99EA1D9",
	  "B0080K0TN00N00001C414014375212C24995E405B5EE052CB92B67F455EA2680F6751088F9F1C228",
	  "5DB50B454F8389ADCE573BE50861F2BF", "5C9405" },
	{ "payShield 10k, version C", "EFE0853B256B583D868F251CE99EA1D9",
	  "C0072K0TN00N0000C9B875FF7A5316BF221C09ED52080DE0B45632A4EA9CE87699CB565E",
	  "5DB50B454F8389ADCE573BE50861F2BF", "5C9405" },
	{ "payShield 10k, version D, TDES key",
	  "4141414141414141414141414141414141414141414141414141414141414141",
	  "D0112B0TN00N000037DB9B046B7B0048785690759580ABC3B9842AB4BB7717B49E92528E575785D8123559376A2553B27BE94F054F4E971C",
	  "1FA1F7CEC798D91545DA8AE0C7796BD9", "FF5087" },
	{ "payShield 10k, version D, AES-256 key",
	  "4141414141414141414141414141414141414141414141414141414141414141",
	  "D0144D0AN00N0000127862F945C2DED04530FAF7CDBC8B0BA10C7AA79BD5E0C2C5D6AC173BF588E4B19ACF1357178D50EA0AB193228E13958304FC6149632DFDCADF3A5B3D57E814",
	  "BE19E6A07A760F10EF8E83A226B63AAD141F463FDDD4F47DB244B4023EC3CACC",
	  "0A00E3" },
};

static void unwrap_vector(const struct tr31_vector *v,
			  struct pcc_tr31_header *hdr, uint8_t *key,
			  size_t *key_len)
{
	uint8_t kbpk[32];
	size_t kbpk_len = unhex(v->kbpk, kbpk, sizeof(kbpk));

	print_message("%s\n", v->source);
	assert_int_equal(pcc_tr31_unwrap(kbpk, kbpk_len, v->block,
					 strlen(v->block), hdr, key, key_len),
			 PCC_OK);
}

static void test_unwrap_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct tr31_vector *v = &vectors[i];
		struct pcc_tr31_header hdr;
		uint8_t key[32], kcv[3];
		size_t key_len;
		enum pcc_alg alg;

		unwrap_vector(v, &hdr, key, &key_len);
		assert_int_equal(key_len, strlen(v->key) / 2);
		assert_hex(key, key_len, v->key);
		alg = hdr.algorithm == 'A' ? PCC_ALG_AES : PCC_ALG_TDES;
		assert_int_equal(pcc_kcv(alg == PCC_ALG_AES ? PCC_KCV_CMAC :
					 PCC_KCV_CLASSIC, alg, key, key_len,
					 kcv, 3), PCC_OK);
		assert_hex(kcv, 3, v->kcv);
	}
}

/* A.7.3.1: BDK, TDES, derive, key version 12, sensitive, one KS block
 * carrying the KSN 00604B120F9292800000. */
static void test_header_fields(void **state)
{
	struct pcc_tr31_header hdr;
	uint8_t key[32];
	size_t key_len;

	unwrap_vector(&vectors[2], &hdr, key, &key_len);
	assert_int_equal(hdr.version, 'C');
	assert_int_equal(hdr.block_len, 96);
	assert_string_equal(hdr.usage, "B0");
	assert_int_equal(hdr.algorithm, 'T');
	assert_int_equal(hdr.mode, 'X');
	assert_string_equal(hdr.key_version, "12");
	assert_int_equal(hdr.exportability, 'S');
	assert_int_equal(hdr.n_opt, 1);
	assert_string_equal(hdr.opt[0].id, "KS");
	assert_int_equal(hdr.opt[0].len, 20);
	assert_memory_equal(vectors[2].block + hdr.opt[0].offset,
			    "00604B120F9292800000", 20);
	assert_int_equal(hdr.header_len, 40);
}

/* Replace character @pos of a vector's block and unwrap it. */
static enum pcc_status unwrap_modified(const struct tr31_vector *v,
				       size_t pos, char c)
{
	char block[256];
	uint8_t kbpk[32], key[32];
	size_t kbpk_len = unhex(v->kbpk, kbpk, sizeof(kbpk)), key_len;

	snprintf(block, sizeof(block), "%s", v->block);
	block[pos] = c;
	return pcc_tr31_unwrap(kbpk, kbpk_len, block, strlen(block), NULL, key,
			       &key_len);
}

static void test_tampering_is_detected(void **state)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct tr31_vector *v = &vectors[i];
		size_t len = strlen(v->block);
		char last = v->block[len - 1];
		char mid = v->block[len - 40];

		/* MAC, encrypted key data, key version in the header */
		print_message("%s\n", v->source);
		assert_int_equal(unwrap_modified(v, len - 1, last == '0' ? '1' :
						 '0'), PCC_E_MAC);
		assert_int_equal(unwrap_modified(v, len - 40, mid == '0' ? '1' :
						 '0'), PCC_E_MAC);
		assert_int_equal(unwrap_modified(v, 10, v->block[10] == '0' ?
						 '1' : '0'), PCC_E_MAC);
	}
}

static void test_wrong_kbpk(void **state)
{
	const struct tr31_vector *v = &vectors[1];
	uint8_t kbpk[32], key[32];
	size_t key_len;

	unhex(v->kbpk, kbpk, sizeof(kbpk));
	kbpk[0] ^= 2;	/* not bit 0: DES ignores parity bits */
	assert_int_equal(pcc_tr31_unwrap(kbpk, 16, v->block, strlen(v->block),
					 NULL, key, &key_len), PCC_E_MAC);
	assert_int_equal(pcc_tr31_unwrap(kbpk, 8, v->block, strlen(v->block),
					 NULL, key, &key_len),
			 PCC_E_KEY_LENGTH);
	/* an AES KBPK length is wrong for a TDES (version A) block */
	assert_int_equal(pcc_tr31_unwrap(kbpk, 32, vectors[0].block,
					 strlen(vectors[0].block), NULL, key,
					 &key_len), PCC_E_KEY_LENGTH);
}

static void test_malformed_blocks(void **state)
{
	const struct tr31_vector *a = &vectors[0];
	struct pcc_tr31_header hdr;

	/* truncated: the length field no longer matches */
	assert_int_equal(pcc_tr31_parse_header(a->block, 71, &hdr),
			 PCC_E_KEYBLOCK_FORMAT);
	assert_int_equal(pcc_tr31_parse_header(a->block, 15, &hdr),
			 PCC_E_KEYBLOCK_FORMAT);
	assert_int_equal(unwrap_modified(a, 1, 'X'), PCC_E_KEYBLOCK_FORMAT);
	assert_int_equal(unwrap_modified(a, 0, 'E'), PCC_E_KEYBLOCK_VERSION);
	assert_int_equal(unwrap_modified(a, 0, '#'), PCC_E_KEYBLOCK_FORMAT);
	assert_int_equal(unwrap_modified(a, 5, 'Z'), PCC_E_KEYBLOCK_HEADER);
	assert_int_equal(unwrap_modified(a, 7, 'Q'), PCC_E_KEYBLOCK_HEADER);
	/* P0 cannot be used to derive keys (mode X) */
	assert_int_equal(unwrap_modified(a, 8, 'X'), PCC_E_KEYBLOCK_HEADER);
	assert_int_equal(unwrap_modified(a, 11, 'Q'), PCC_E_KEYBLOCK_HEADER);
	assert_int_equal(unwrap_modified(a, 14, '1'), PCC_E_KEYBLOCK_FORMAT);
	/* a non-hex character in the key data */
	assert_int_equal(unwrap_modified(a, 20, 'G'), PCC_E_KEYBLOCK_FORMAT);
	/* one optional block announced, none there (KS length runs over) */
	assert_int_equal(unwrap_modified(a, 13, '1'), PCC_E_KEYBLOCK_FORMAT);
	assert_int_equal(pcc_tr31_parse_header("A0016P0TE00E0000", 16, &hdr),
			 PCC_OK);
	assert_int_equal(pcc_tr31_parse_header("A0016P0TE00E0\n00", 16, &hdr),
			 PCC_E_KEYBLOCK_FORMAT);
}

/* Wrap refuses keys that do not fit the algorithm and an output buffer
 * too small. */
static void test_wrap_length_errors(void **state)
{
	uint8_t kbpk[16] = { 1 }, key[32] = { 2 };
	struct pcc_tr31_attrs attrs = {
		.version = 'B', .usage = "K0", .algorithm = 'T', .mode = 'B',
		.exportability = 'E' };
	char out[256];

	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &attrs, key, 0, out,
				       sizeof(out)), PCC_E_KEY_LENGTH);
	/* a TDES key is 8, 16 or 24 bytes; AES 16, 24 or 32 */
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &attrs, key, 20, out,
				       sizeof(out)), PCC_E_KEY_LENGTH);
	attrs.algorithm = 'A';
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &attrs, key, 8, out,
				       sizeof(out)), PCC_E_KEY_LENGTH);
	attrs.algorithm = 'T';
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &attrs, key, 16, out, 40),
			 PCC_E_BUFFER);
}

static void check_wrap_round_trip(const struct pcc_tr31_attrs *attrs,
				  const char *kbpk_hex, const char *key_hex,
				  size_t expect_len)
{
	struct pcc_tr31_header hdr;
	uint8_t kbpk[32], key[32], back[32];
	size_t kbpk_len = unhex(kbpk_hex, kbpk, 32);
	size_t key_len = unhex(key_hex, key, 32), back_len;
	char out[256];

	assert_int_equal(pcc_tr31_wrap(kbpk, kbpk_len, attrs, key, key_len, out,
				       sizeof(out)), PCC_OK);
	assert_int_equal(strlen(out), expect_len);
	assert_int_equal(pcc_tr31_unwrap(kbpk, kbpk_len, out, strlen(out), &hdr,
					 back, &back_len), PCC_OK);
	assert_int_equal(back_len, key_len);
	assert_memory_equal(back, key, key_len);
	assert_int_equal(hdr.version, attrs->version);
	assert_string_equal(hdr.usage, attrs->usage);
	assert_int_equal(hdr.mode, attrs->mode);
	assert_int_equal(hdr.exportability, attrs->exportability);
}

/*
 * Lengths: header 16 + payload (2 + key padded to 24 for TDES / 32 for
 * AES, rounded up to the block) in hex + MAC (B: 8, D: 16 bytes) in hex.
 *   B, TDES key: 16 + 2*32 + 16 = 96;  D, TDES key: 16 + 2*32 + 32 = 112;
 *   D, AES key: 16 + 2*48 + 32 = 144.
 */
static void test_wrap_round_trips(void **state)
{
	struct pcc_tr31_attrs b = {
		.version = 'B', .usage = "K0", .algorithm = 'T', .mode = 'B',
		.exportability = 'E' };
	struct pcc_tr31_attrs d = {
		.version = 'D', .usage = "P0", .algorithm = 'A', .mode = 'E',
		.key_version = "07", .exportability = 'N' };
	struct pcc_tr31_attrs d_tdes = {
		.version = 'D', .usage = "M3", .algorithm = 'T', .mode = 'C',
		.exportability = 'S' };

	check_wrap_round_trip(&b, "89E88CF7931444F334BD7547FC3F380C",
			      "F039121BEC83D26B169BDCD5B22AAF8F", 96);
	check_wrap_round_trip(&b, "89E88CF7931444F334BD7547FC3F380C"
			      "0123456789ABCDEF", "F039121BEC83D26B", 96);
	check_wrap_round_trip(&d, vectors[4].kbpk,
			      "3F419E1CB7079442AA37474C2EFBF8B8", 144);
	check_wrap_round_trip(&d_tdes, vectors[4].kbpk,
			      "0123456789ABCDEFFEDCBA9876543210", 112);
}

/*
 * Optional blocks: a KS block (4 + 20 characters) after the 16-byte header
 * makes 40 characters; version B (8-byte blocks) needs no padding, version
 * D (16) needs 8 more: a PB block "PB08" + "0000".  Both must come back
 * from unwrap with the KSN intact.
 */
static void test_wrap_optional_blocks(void **state)
{
	struct pcc_tr31_attrs a = {
		.version = 'B', .usage = "B1", .algorithm = 'T', .mode = 'X',
		.exportability = 'N', .optional = "KS18FFFF9876543210E00000",
		.n_optional = 1 };
	struct pcc_tr31_header hdr;
	uint8_t kbpk[32], key[16], back[32];
	char out[256];
	size_t back_len;

	unhex(vectors[4].kbpk, kbpk, 32);
	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", key, 16);
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &a, key, 16, out, sizeof(out)),
			 PCC_OK);
	assert_memory_equal(out + 12, "0100KS18FFFF9876543210E00000", 28);
	assert_int_equal(pcc_tr31_unwrap(kbpk, 16, out, strlen(out), &hdr,
					 back, &back_len), PCC_OK);
	assert_int_equal(hdr.header_len, 40);
	assert_memory_equal(back, key, 16);

	a.version = 'D';
	assert_int_equal(pcc_tr31_wrap(kbpk, 32, &a, key, 16, out, sizeof(out)),
			 PCC_OK);
	assert_memory_equal(out + 12, "0200KS18FFFF9876543210E00000PB080000",
			    36);
	assert_int_equal(pcc_tr31_unwrap(kbpk, 32, out, strlen(out), &hdr,
					 back, &back_len), PCC_OK);
	assert_int_equal(hdr.n_opt, 2);
	assert_string_equal(hdr.opt[0].id, "KS");
	assert_memory_equal(out + hdr.opt[0].offset, "FFFF9876543210E00000",
			    20);
	/* a malformed optional block is refused like a received one */
	a.optional = "KS99FFFF";
	assert_int_equal(pcc_tr31_wrap(kbpk, 32, &a, key, 16, out, sizeof(out)),
			 PCC_E_KEYBLOCK_FORMAT);
}

static void test_wrap_rejects_bad_attributes(void **state)
{
	uint8_t kbpk[32] = { 3 }, key[16] = { 4 };
	char out[256];
	struct pcc_tr31_attrs a = {
		.version = 'A', .usage = "K0", .algorithm = 'T', .mode = 'B',
		.exportability = 'E' };

	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &a, key, 16, out, sizeof(out)),
			 PCC_E_KEYBLOCK_VERSION);
	a.version = 'B';
	a.mode = 'G';			/* K0 does not generate MACs */
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &a, key, 16, out, sizeof(out)),
			 PCC_E_KEYBLOCK_HEADER);
	a.mode = 'B';
	a.exportability = 'X';
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &a, key, 16, out, sizeof(out)),
			 PCC_E_KEYBLOCK_HEADER);
	a.exportability = 'E';
	a.version = 'D';
	assert_int_equal(pcc_tr31_wrap(kbpk, 8, &a, key, 16, out, sizeof(out)),
			 PCC_E_KEY_LENGTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unwrap_vectors),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_tampering_is_detected),
		cmocka_unit_test(test_wrong_kbpk),
		cmocka_unit_test(test_malformed_blocks),
		cmocka_unit_test(test_wrap_length_errors),
		cmocka_unit_test(test_wrap_round_trips),
		cmocka_unit_test(test_wrap_optional_blocks),
		cmocka_unit_test(test_wrap_rejects_bad_attributes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
