// SPDX-License-Identifier: MIT
/*
 * The key store: persistence, authentication of the file, key usage,
 * working keys at sign-in, DUKPT state surviving a restart.  Vectors:
 * DESIGN.md (UnionPay working key and MAC) and X9.24-1:2009 A.4.2 (the
 * first three DUKPT PIN blocks).
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "../test_hex.h"
#include "crypto/keystore.h"

struct paths {
	char dir[64];
	char store[96];
	char key[96];
};

static int setup(void **state)
{
	struct paths *p = calloc(1, sizeof(*p));

	snprintf(p->dir, sizeof(p->dir), "/tmp/paycard-ks-XXXXXX");
	assert_non_null(mkdtemp(p->dir));
	snprintf(p->store, sizeof(p->store), "%s/keys.store", p->dir);
	snprintf(p->key, sizeof(p->key), "%s/storage.key", p->dir);
	assert_int_equal(pcc_keystore_create_storage_key(p->key), PCC_OK);
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct paths *p = *state;
	char tmp[112];

	unlink(p->store);
	unlink(p->key);
	snprintf(tmp, sizeof(tmp), "%s.tmp", p->store);
	unlink(tmp);
	rmdir(p->dir);
	free(p);
	return 0;
}

static struct pcc_keystore *open_store(const struct paths *p)
{
	struct pcc_keystore *ks = NULL;

	assert_int_equal(pcc_keystore_open(p->store, p->key, &ks), PCC_OK);
	return ks;
}

static void test_storage_key_file(void **state)
{
	struct paths *p = *state;
	struct stat st;

	assert_int_equal(stat(p->key, &st), 0);
	assert_int_equal(st.st_size, PCC_KS_STORAGE_KEY_LEN);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* never overwritten */
	assert_int_equal(pcc_keystore_create_storage_key(p->key), PCC_E_IO);
}

/* DESIGN.md: single-length MAK 1C587F1C13924FEF, "01234567890" -> D2982DB5 */
static void test_persist_and_use(void **state)
{
	static const struct pcc_mac_spec cup = { .alg = PCC_MAC_CUP_ECB };
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t mak[8], mac[8];
	enum pcc_key_usage usage;
	enum pcc_alg alg;
	size_t len;

	unhex("1C587F1C13924FEF", mak, 8);
	assert_int_equal(pcc_keystore_put(ks, "mak", PCC_USAGE_MAC,
					  PCC_ALG_TDES, mak, 8), PCC_OK);
	assert_int_equal(pcc_keystore_commit(ks), PCC_OK);
	pcc_keystore_close(ks);
	assert_int_equal(access(p->store, F_OK), 0);

	ks = open_store(p);
	assert_int_equal(pcc_keystore_info(ks, "mak", &usage, &alg, &len),
			 PCC_OK);
	assert_int_equal(usage, PCC_USAGE_MAC);
	assert_int_equal(alg, PCC_ALG_TDES);
	assert_int_equal(len, 8);
	assert_int_equal(pcc_keystore_mac(ks, "mak", &cup, (const uint8_t *)
					  "01234567890", 11, mac, 8), PCC_OK);
	assert_memory_equal(mac, "D2982DB5", 8);
	assert_int_equal(pcc_keystore_mac_verify(ks, "mak", &cup,
						 (const uint8_t *)"01234567891",
						 11, mac, 8), PCC_E_MAC);
	assert_int_equal(pcc_keystore_remove(ks, "mak"), PCC_OK);
	assert_int_equal(pcc_keystore_info(ks, "mak", NULL, NULL, NULL),
			 PCC_E_NOT_FOUND);
	pcc_keystore_close(ks);
}

/* DESIGN.md sign-in vector: TMK 70F2.., PIK 96D6.. with CV 0547DB3E. */
static void test_working_key_load(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t tmk[16], enc[8], cv[4], kcv[4];

	unhex("70F2A84CCBC2AE8625CBB0F2C22AB923", tmk, 16);
	unhex("96D605EA176B7E9E", enc, 8);
	unhex("0547DB3F", cv, 4);
	assert_int_equal(pcc_keystore_put(ks, "tmk", PCC_USAGE_MASTER,
					  PCC_ALG_TDES, tmk, 16), PCC_OK);
	assert_int_equal(pcc_keystore_load_working_key(ks, "tmk", "pik",
						       PCC_USAGE_PIN, enc, 8,
						       cv), PCC_E_CHECK_VALUE);
	assert_int_equal(pcc_keystore_info(ks, "pik", NULL, NULL, NULL),
			 PCC_E_NOT_FOUND);
	unhex("0547DB3E", cv, 4);
	assert_int_equal(pcc_keystore_load_working_key(ks, "tmk", "pik",
						       PCC_USAGE_PIN, enc, 8,
						       cv), PCC_OK);
	assert_int_equal(pcc_keystore_kcv(ks, "pik", PCC_KCV_CUP, kcv, 4),
			 PCC_OK);
	assert_hex(kcv, 4, "0547DB3E");
	/* a working key cannot be loaded under a non-master key */
	assert_int_equal(pcc_keystore_load_working_key(ks, "pik", "mak",
						       PCC_USAGE_MAC, enc, 8,
						       cv), PCC_E_KEY_USAGE);
	pcc_keystore_close(ks);
}

static void test_key_usage_enforced(void **state)
{
	static const struct pcc_mac_spec cup = { .alg = PCC_MAC_CUP_ECB };
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t key[16], out[16], mac[8];

	unhex("0123456789ABCDEFFEDCBA9876543210", key, 16);
	assert_int_equal(pcc_keystore_put(ks, "mak", PCC_USAGE_MAC,
					  PCC_ALG_TDES, key, 16), PCC_OK);
	assert_int_equal(pcc_keystore_put(ks, "pik", PCC_USAGE_PIN,
					  PCC_ALG_TDES, key, 16), PCC_OK);
	assert_int_equal(pcc_keystore_put(ks, "tmk", PCC_USAGE_MASTER,
					  PCC_ALG_TDES, key, 16), PCC_OK);
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "mak", PCC_PIN_ISO0,
						  "1234", "4012345678909", out),
			 PCC_E_KEY_USAGE);
	assert_int_equal(pcc_keystore_mac(ks, "pik", &cup, key, 16, mac, 8),
			 PCC_E_KEY_USAGE);
	assert_int_equal(pcc_keystore_data_crypt(ks, "tmk", false, key, out,
						 16), PCC_E_KEY_USAGE);
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "pik", PCC_PIN_ISO0,
						  "1234", "4012345678909", out),
			 PCC_OK);
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "nope", PCC_PIN_ISO0,
						  "1234", "4012345678909", out),
			 PCC_E_NOT_FOUND);
	assert_int_equal(pcc_keystore_put(ks, "bad name", PCC_USAGE_MAC,
					  PCC_ALG_TDES, key, 16),
			 PCC_E_ARGUMENT);
	assert_int_equal(pcc_keystore_put(ks, "short", PCC_USAGE_MAC,
					  PCC_ALG_AES, key, 8),
			 PCC_E_KEY_LENGTH);
	pcc_keystore_close(ks);
}

static void flip_byte(const char *path, off_t where)
{
	int fd = open(path, O_RDWR);
	uint8_t b;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, where), 1);
	b ^= 0x01;
	assert_int_equal(pwrite(fd, &b, 1, where), 1);
	close(fd);
}

static void test_tampering_detected(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t key[16] = { 7 };
	struct stat st;
	char other[112];

	assert_int_equal(pcc_keystore_put(ks, "tdk", PCC_USAGE_DATA,
					  PCC_ALG_SM4, key, 16), PCC_OK);
	assert_int_equal(pcc_keystore_commit(ks), PCC_OK);
	pcc_keystore_close(ks);
	assert_int_equal(stat(p->store, &st), 0);

	flip_byte(p->store, st.st_size / 2);		/* ciphertext */
	assert_int_equal(pcc_keystore_open(p->store, p->key, &ks),
			 PCC_E_STORE_CORRUPT);
	flip_byte(p->store, st.st_size / 2);
	flip_byte(p->store, st.st_size - 1);		/* tag */
	assert_int_equal(pcc_keystore_open(p->store, p->key, &ks),
			 PCC_E_STORE_CORRUPT);
	flip_byte(p->store, st.st_size - 1);
	assert_int_equal(truncate(p->store, st.st_size - 20), 0);
	assert_int_equal(pcc_keystore_open(p->store, p->key, &ks),
			 PCC_E_STORE_CORRUPT);

	/* another storage key cannot open it */
	snprintf(other, sizeof(other), "%s/other.key", p->dir);
	assert_int_equal(pcc_keystore_create_storage_key(other), PCC_OK);
	unlink(p->store);
	ks = open_store(p);
	assert_int_equal(pcc_keystore_put(ks, "tdk", PCC_USAGE_DATA,
					  PCC_ALG_SM4, key, 16), PCC_OK);
	assert_int_equal(pcc_keystore_commit(ks), PCC_OK);
	pcc_keystore_close(ks);
	assert_int_equal(pcc_keystore_open(p->store, other, &ks),
			 PCC_E_STORE_CORRUPT);
	unlink(other);
}

/* A commit leaves no temporary file, and a stale one from a crash before
 * the rename is ignored: the store keeps its last committed content. */
static void test_atomic_commit(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t key[16] = { 9 };
	char tmp[112];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", p->store);
	assert_int_equal(pcc_keystore_put(ks, "a", PCC_USAGE_DATA, PCC_ALG_AES,
					  key, 16), PCC_OK);
	assert_int_equal(pcc_keystore_commit(ks), PCC_OK);
	assert_int_equal(access(tmp, F_OK), -1);
	pcc_keystore_close(ks);
	fd = open(tmp, O_WRONLY | O_CREAT, 0600);	/* half-written */
	assert_int_equal(write(fd, "PCKS", 4), 4);
	close(fd);
	ks = open_store(p);
	assert_int_equal(pcc_keystore_info(ks, "a", NULL, NULL, NULL), PCC_OK);
	pcc_keystore_close(ks);
}

/* X9.24-1:2009 A.4.2: the first three PIN blocks, with a restart of the
 * store between the second and the third. */
static void test_dukpt_tdes_survives_restart(void **state)
{
	static const char *const expect[3] = {
		"1B9C1845EB993A7A", "10A01C8D02C69107", "18DC07B94797B466" };
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t ipek[16], iksn[10], ksn[10], out[8];
	char ksn_hex[21];

	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", ipek, 16);
	unhex("FFFF9876543210E00000", iksn, 10);
	assert_int_equal(pcc_keystore_dukpt_load(ks, "dukpt", PCC_DUKPT_TDES,
						 ipek, 16, iksn, 10), PCC_OK);
	for (int i = 0; i < 3; i++) {
		if (i == 2) {	/* no explicit commit: pin_encrypt did it */
			pcc_keystore_close(ks);
			ks = open_store(p);
		}
		assert_int_equal(pcc_keystore_dukpt_pin_encrypt(ks, "dukpt",
					PCC_PIN_ISO0, "1234", "4012345678909",
					out, ksn), PCC_OK);
		assert_hex(out, 8, expect[i]);
		snprintf(ksn_hex, sizeof(ksn_hex), "FFFF9876543210E0000%d",
			 i + 1);
		assert_hex(ksn, 10, ksn_hex);
	}
	/* format 4 is refused for a TDES state; a DUKPT state is not a
	 * PIN key */
	assert_int_equal(pcc_keystore_dukpt_pin_encrypt(ks, "dukpt",
				PCC_PIN_ISO4, "1234", "4111111111111111", out,
				ksn), PCC_E_ALGORITHM);
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "dukpt", PCC_PIN_ISO0,
						  "1234", "4012345678909", out),
			 PCC_E_KEY_USAGE);
	pcc_keystore_close(ks);
}

/*
 * The two-step DUKPT PIN key (X9.24-1:2009 A.4.2 again): held keys give the
 * published blocks for counters 1 and 2; the held key is never written
 * (gone after a reopen, even after an explicit commit) while its counter
 * stays spent; a held key dropped unused spends its counter too (3), so
 * the next is 4, whose block the host side (BDK
 * 0123456789ABCDEFFEDCBA9876543210, the A.4 BDK) decrypts back to 1234.
 */
static void test_dukpt_hold_pin_key(void **state)
{
	static const char *const expect[2] = {
		"1B9C1845EB993A7A", "10A01C8D02C69107" };
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t ipek[16], iksn[10], ksn[10], out[8], bdk[16], key[16], mac[8];
	char ksn_hex[21], pin[PCC_PIN_MAX + 1];
	static const struct pcc_mac_spec cup = { .alg = PCC_MAC_CUP_ECB };

	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", ipek, 16);
	unhex("FFFF9876543210E00000", iksn, 10);
	unhex("0123456789ABCDEFFEDCBA9876543210", bdk, 16);
	assert_int_equal(pcc_keystore_dukpt_load(ks, "dukpt", PCC_DUKPT_TDES,
						 ipek, 16, iksn, 10), PCC_OK);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "dukpt",
					"pin.held", ksn), PCC_OK);
		snprintf(ksn_hex, sizeof(ksn_hex), "FFFF9876543210E0000%d",
			 i + 1);
		assert_hex(ksn, 10, ksn_hex);
		assert_int_equal(pcc_keystore_pin_encrypt(ks, "pin.held",
					PCC_PIN_ISO0, "1234", "4012345678909",
					out), PCC_OK);
		assert_hex(out, 8, expect[i]);
		/* a PIN key, nothing else */
		assert_int_equal(pcc_keystore_mac(ks, "pin.held", &cup,
					(const uint8_t *)"x", 1, mac, 8),
				 PCC_E_KEY_USAGE);
		if (i == 0) {	/* an explicit commit leaves it out too */
			assert_int_equal(pcc_keystore_commit(ks), PCC_OK);
			pcc_keystore_close(ks);
			ks = open_store(p);
			assert_int_equal(pcc_keystore_info(ks, "pin.held",
						NULL, NULL, NULL),
					 PCC_E_NOT_FOUND);
		} else {
			assert_int_equal(pcc_keystore_remove(ks, "pin.held"),
					 PCC_OK);
		}
	}
	/* held, never used, dropped: counter 3 is spent all the same */
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "dukpt", "pin.3",
							 ksn), PCC_OK);
	assert_hex(ksn, 10, "FFFF9876543210E00003");
	/* a held key never takes the place of a stored one */
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "dukpt", "pin.3",
							 ksn), PCC_E_ARGUMENT);
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "dukpt", "dukpt",
							 ksn), PCC_E_ARGUMENT);
	pcc_keystore_close(ks);
	ks = open_store(p);
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "dukpt", "pin.4",
							 ksn), PCC_OK);
	assert_hex(ksn, 10, "FFFF9876543210E00004");
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "pin.4", PCC_PIN_ISO0,
						  "1234", "4012345678909",
						  out), PCC_OK);
	assert_int_equal(pcc_dukpt_tdes_derive(bdk, ksn, PCC_DUKPT_PIN, key),
			 PCC_OK);
	assert_int_equal(pcc_pinblock_decrypt(PCC_PIN_ISO0, key, 16, out, 8,
					      "4012345678909", pin), PCC_OK);
	assert_string_equal(pin, "1234");
	/* no DUKPT state of that name, or not DUKPT state */
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "none", "pin.5",
							 ksn), PCC_E_NOT_FOUND);
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "pin.4", "pin.5",
							 ksn), PCC_E_KEY_USAGE);
	pcc_keystore_close(ks);
}

/*
 * Rewrite @len bytes at offset @at of the plaintext of a one-record store,
 * as a writer holding the storage key could (the layout of keystore.c:
 * magic "PCKS\0\1\0\0" as AAD, 12-byte nonce, AES-256-GCM ciphertext,
 * 16-byte tag; plaintext = entry count, then the records).
 */
static void patch_store(const struct paths *p, size_t at, const uint8_t *bytes,
			size_t len)
{
	uint8_t file[4096], plain[4096], skey[32];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int fd, n, out = 0, fin = 0;
	size_t body;

	fd = open(p->key, O_RDONLY);
	assert_int_equal(read(fd, skey, 32), 32);
	close(fd);
	fd = open(p->store, O_RDWR);
	n = (int)read(fd, file, sizeof(file));
	assert_true(n > 8 + 12 + 16 && n < (int)sizeof(file));
	body = (size_t)n - 8 - 12 - 16;
	assert_true(EVP_DecryptInit_ex2(ctx, EVP_aes_256_gcm(), skey, file + 8, NULL));
	assert_true(EVP_DecryptUpdate(ctx, NULL, &out, file, 8));
	assert_true(EVP_DecryptUpdate(ctx, plain, &out, file + 20, (int)body));
	assert_true(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16,
					file + n - 16));
	assert_true(EVP_DecryptFinal_ex(ctx, plain + out, &fin));
	memcpy(plain + at, bytes, len);
	assert_true(EVP_EncryptInit_ex2(ctx, EVP_aes_256_gcm(), skey, file + 8, NULL));
	assert_true(EVP_EncryptUpdate(ctx, NULL, &out, file, 8));
	assert_true(EVP_EncryptUpdate(ctx, file + 20, &out, plain, (int)body));
	assert_true(EVP_EncryptFinal_ex(ctx, file + 20 + out, &fin));
	assert_true(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16,
					file + n - 16));
	assert_int_equal(pwrite(fd, file, (size_t)n, 0), n);
	close(fd);
	EVP_CIPHER_CTX_free(ctx);
}

/*
 * Exhausted DUKPT state (counter 0, no register left: what the terminal
 * keeps after its last counter): no PIN block and no held key come out of
 * it, and nothing is left behind.  The record's counter and valid bitmap
 * are the 8 bytes at offset 82 of the record (after name 32, usage, alg,
 * key length, spare, key 32, variant, key type, KSN 12), the record at
 * offset 1 of the plaintext.
 */
static void test_dukpt_exhausted(void **state)
{
	static const uint8_t zero[8];
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t ipek[16], iksn[10], ksn[10], out[8];

	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", ipek, 16);
	unhex("FFFF9876543210E00000", iksn, 10);
	assert_int_equal(pcc_keystore_dukpt_load(ks, "dukpt", PCC_DUKPT_TDES,
						 ipek, 16, iksn, 10), PCC_OK);
	assert_int_equal(pcc_keystore_commit(ks), PCC_OK);
	pcc_keystore_close(ks);
	patch_store(p, 1 + 82, zero, sizeof(zero));
	ks = open_store(p);
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "dukpt", "pin",
							 ksn),
			 PCC_E_DUKPT_EXHAUSTED);
	assert_int_equal(pcc_keystore_info(ks, "pin", NULL, NULL, NULL),
			 PCC_E_NOT_FOUND);
	assert_int_equal(pcc_keystore_dukpt_pin_encrypt(ks, "dukpt",
				PCC_PIN_ISO0, "1234", "4012345678909", out,
				ksn), PCC_E_DUKPT_EXHAUSTED);
	pcc_keystore_close(ks);
}

/* AES: the held key is AES-128 (the initial key's type), format 4, and
 * decrypts under the published PIN key of counter 1 (DESIGN.md). */
static void test_dukpt_hold_pin_key_aes(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t ik[16], iksn[12], ksn[12], out[16], pin_key[16];
	char pin[PCC_PIN_MAX + 1];
	enum pcc_alg alg;
	size_t len;

	unhex("1273671EA26AC29AFA4D1084127652A1", ik, 16);
	unhex("123456789012345600000000", iksn, 12);
	unhex("AF8CB133A78F8DC2D1359F18527593FB", pin_key, 16);
	assert_int_equal(pcc_keystore_dukpt_load(ks, "aes", PCC_DUKPT_AES, ik,
						 16, iksn, 12), PCC_OK);
	assert_int_equal(pcc_keystore_dukpt_hold_pin_key(ks, "aes", "pin",
							 ksn), PCC_OK);
	assert_hex(ksn, 12, "123456789012345600000001");
	assert_int_equal(pcc_keystore_info(ks, "pin", NULL, &alg, &len),
			 PCC_OK);
	assert_int_equal(alg, PCC_ALG_AES);
	assert_int_equal(len, 16);
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "pin", PCC_PIN_ISO0,
						  "1234", "4111111111111111",
						  out), PCC_E_ALGORITHM);
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "pin", PCC_PIN_ISO4,
						  "1234", "4111111111111111",
						  out), PCC_OK);
	assert_int_equal(pcc_pinblock_decrypt(PCC_PIN_ISO4, pin_key, 16, out,
					      16, "4111111111111111", pin),
			 PCC_OK);
	assert_string_equal(pin, "1234");
	pcc_keystore_close(ks);
}

/* X9.24-3 (DESIGN.md): the first AES PIN block decrypts under AF8C.. */
static void test_dukpt_aes(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t ik[16], iksn[12], ksn[12], out[16], pin_key[16];
	char pin[PCC_PIN_MAX + 1];

	unhex("1273671EA26AC29AFA4D1084127652A1", ik, 16);
	unhex("123456789012345600000000", iksn, 12);
	unhex("AF8CB133A78F8DC2D1359F18527593FB", pin_key, 16);
	assert_int_equal(pcc_keystore_dukpt_load(ks, "aes", PCC_DUKPT_AES, ik,
						 16, iksn, 12), PCC_OK);
	assert_int_equal(pcc_keystore_dukpt_pin_encrypt(ks, "aes",
				PCC_PIN_ISO4, "1234", "4111111111111111", out,
				ksn), PCC_OK);
	assert_hex(ksn, 12, "123456789012345600000001");
	assert_int_equal(pcc_pinblock_decrypt(PCC_PIN_ISO4, pin_key, 16, out,
					      16, "4111111111111111", pin),
			 PCC_OK);
	assert_string_equal(pin, "1234");
	pcc_keystore_close(ks);
}

/*
 * Key injection with TR-31: the A.7.2.1 block (P0) under its KBPK becomes a
 * PIN key with KCV CB9DEA; the A.7.3.1 block holds a BDK, which a terminal
 * must refuse; an initial DUKPT key (B1) wrapped with its KSN in a KS block
 * becomes DUKPT state that yields the X9.24-1 A.4.2 first PIN block.
 */
static void test_import_tr31(void **state)
{
	struct pcc_tr31_attrs b1 = {
		.version = 'B', .usage = "B1", .algorithm = 'T', .mode = 'X',
		.exportability = 'N', .optional = "KS18FFFF9876543210E00000",
		.n_optional = 1 };
	static const char a_7_2_1[] = "A0072P0TE00E0000F5161ED902807AF26F1D6226"
		"3644BD24192FDB3193C730301CEE8701";
	static const char a_7_3_1[] = "C0096B0TX12S0100KS1800604B120F92928000"
		"00BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C";
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	uint8_t kbpk[16], kbpk_c[16], ipek[16], kcv[3], out[8], ksn[10];
	char block[256];

	unhex("89E88CF7931444F334BD7547FC3F380C", kbpk, 16);
	unhex("B8ED59E0A279A295E9F5ED7944FD06B9", kbpk_c, 16);
	assert_int_equal(pcc_keystore_put(ks, "kbpk", PCC_USAGE_KBPK,
					  PCC_ALG_TDES, kbpk, 16), PCC_OK);
	assert_int_equal(pcc_keystore_put(ks, "kbpk-c", PCC_USAGE_KBPK,
					  PCC_ALG_TDES, kbpk_c, 16), PCC_OK);
	assert_int_equal(pcc_keystore_import_tr31(ks, "kbpk", "pik", a_7_2_1,
						  strlen(a_7_2_1)), PCC_OK);
	assert_int_equal(pcc_keystore_kcv(ks, "pik", PCC_KCV_CLASSIC, kcv, 3),
			 PCC_OK);
	assert_hex(kcv, 3, "CB9DEA");
	assert_int_equal(pcc_keystore_pin_encrypt(ks, "pik", PCC_PIN_ISO0,
						  "1234", "4012345678909", out),
			 PCC_OK);
	assert_int_equal(pcc_keystore_import_tr31(ks, "kbpk-c", "bdk", a_7_3_1,
						  strlen(a_7_3_1)),
			 PCC_E_KEY_USAGE);
	assert_int_equal(pcc_keystore_import_tr31(ks, "kbpk-c", "x", a_7_2_1,
						  strlen(a_7_2_1)), PCC_E_MAC);
	assert_int_equal(pcc_keystore_import_tr31(ks, "pik", "x", a_7_2_1,
						  strlen(a_7_2_1)),
			 PCC_E_KEY_USAGE);

	unhex("6AC292FAA1315B4D858AB3A3D7D5933A", ipek, 16);
	assert_int_equal(pcc_tr31_wrap(kbpk, 16, &b1, ipek, 16, block,
				       sizeof(block)), PCC_OK);
	assert_int_equal(pcc_keystore_import_tr31(ks, "kbpk", "dukpt", block,
						  strlen(block)), PCC_OK);
	assert_int_equal(pcc_keystore_dukpt_pin_encrypt(ks, "dukpt",
				PCC_PIN_ISO0, "1234", "4012345678909", out,
				ksn), PCC_OK);
	assert_hex(out, 8, "1B9C1845EB993A7A");
	assert_hex(ksn, 10, "FFFF9876543210E00001");
	pcc_keystore_close(ks);
}

/* VmFlags of the mapping holding @addr in /proc/self/smaps. */
static void mapping_flags(const void *addr, char *flags, size_t size)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool inside = false;

	assert_non_null(f);
	flags[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' '))
			inside = (unsigned long)addr >= lo &&
				 (unsigned long)addr < hi;
		else if (inside && !strncmp(line, "VmFlags:", 8))
			snprintf(flags, size, "%.200s", line + 8);
	}
	fclose(f);
}

/* The clear keys' mapping is locked (no swap, "lo") and excluded from
 * core dumps ("dd"). */
static void test_keys_locked_and_not_dumped(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks = open_store(p);
	char flags[256];

	mapping_flags(ks, flags, sizeof(flags));
	assert_non_null(strstr(flags, " lo"));
	assert_non_null(strstr(flags, " dd"));
	pcc_keystore_close(ks);
}

static void test_open_errors(void **state)
{
	struct paths *p = *state;
	struct pcc_keystore *ks;
	char missing[112];
	int fd;

	snprintf(missing, sizeof(missing), "%s/none.key", p->dir);
	assert_int_equal(pcc_keystore_open(p->store, missing, &ks), PCC_E_IO);
	fd = open(missing, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "short", 5), 5);
	close(fd);
	assert_int_equal(pcc_keystore_open(p->store, missing, &ks),
			 PCC_E_KEY_LENGTH);
	unlink(missing);
	assert_int_equal(pcc_keystore_open(NULL, p->key, &ks), PCC_E_ARGUMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_storage_key_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_persist_and_use, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_working_key_load, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_key_usage_enforced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_tampering_detected, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_atomic_commit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dukpt_tdes_survives_restart,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dukpt_aes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dukpt_hold_pin_key, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dukpt_hold_pin_key_aes,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dukpt_exhausted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_import_tr31, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_keys_locked_and_not_dumped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_errors, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
