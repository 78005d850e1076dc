// SPDX-License-Identifier: MIT
/*
 * The key store: every clear key of the process lives in one mlock'ed,
 * MADV_DONTDUMP'ed mapping (struct pcc_keystore itself, with the scratch
 * buffer used to (de)serialise), persisted with AES-256-GCM.
 *
 * File: "PCKS" 0x00 0x01 0x00 0x00 | nonce (12) | ciphertext | tag (16),
 * the 8-byte magic as AAD.  Plaintext: entry count, then fixed records
 * (see put_record).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "common/hex.h"
#include "crypto/keystore.h"
#include "crypto/workkey.h"

#define MAGIC		"PCKS\0\1\0\0"
#define MAGIC_LEN	8
#define NONCE_LEN	12
#define TAG_LEN		16
#define REG_BYTES	(PCC_DUKPT_AES_REGISTERS * 32)
/* name, usage, alg, key length, spare, key, DUKPT state */
#define RECORD_LEN	(32 + 4 + 32 + 2 + PCC_DUKPT_AES_KSN_LEN + 8 + REG_BYTES)
#define PLAIN_MAX	(1 + PCC_KS_MAX_KEYS * RECORD_LEN)
#define FILE_MAX	(MAGIC_LEN + NONCE_LEN + PLAIN_MAX + TAG_LEN)

struct entry {
	char name[PCC_KS_NAME_MAX + 1];
	uint8_t used;
	uint8_t held;		/* in memory only: never written (a DUKPT
				   transaction key between its two steps) */
	uint8_t usage;
	uint8_t alg;
	uint8_t key_len;
	uint8_t key[32];
	struct pcc_dukpt_terminal dukpt;
};

struct pcc_keystore {
	size_t map_len;
	char path[4096];
	uint8_t storage_key[PCC_KS_STORAGE_KEY_LEN];
	struct entry entries[PCC_KS_MAX_KEYS];
	uint8_t plain[PLAIN_MAX];	/* serialisation scratch */
};

/* ---- secure memory ---- */

static struct pcc_keystore *secure_alloc(void)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (sizeof(struct pcc_keystore) + (size_t)page - 1) /
		     (size_t)page * (size_t)page;
	struct pcc_keystore *ks = mmap(NULL, len, PROT_READ | PROT_WRITE,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (ks == MAP_FAILED)
		return NULL;
	/* out of swap and out of core dumps; mlock as a raw system call
	 * because sanitizer runtimes turn mlock() into a no-op, and the
	 * tests must see what production does */
	if (syscall(SYS_mlock, ks, len) || madvise(ks, len, MADV_DONTDUMP)) {
		munmap(ks, len);
		return NULL;
	}
	ks->map_len = len;
	return ks;
}

void pcc_keystore_close(struct pcc_keystore *ks)
{
	size_t len;

	if (!ks)
		return;
	len = ks->map_len;
	pcc_wipe(ks, len);
	syscall(SYS_munlock, ks, len);
	munmap(ks, len);
}

/* ---- files ---- */

static enum pcc_status read_file(const char *path, uint8_t *buf, size_t size,
				 size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	size_t got = 0;

	if (fd < 0)
		return errno == ENOENT ? PCC_E_NOT_FOUND : PCC_E_IO;
	while ((n = read(fd, buf + got, size - got)) > 0) {
		got += (size_t)n;
		if (got == size)
			break;
	}
	if (n > 0) {	/* buffer full: is there more? */
		uint8_t extra;

		n = read(fd, &extra, 1) > 0 ? -2 : 0;
	}
	close(fd);
	if (n == -2)
		return PCC_E_STORE_CORRUPT;	/* larger than any store */
	if (n < 0)
		return PCC_E_IO;
	*len = got;
	return PCC_OK;
}

static bool write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

static enum pcc_status fsync_dir_of(const char *path)
{
	char copy[4096];
	int fd, rc;

	snprintf(copy, sizeof(copy), "%s", path);
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return PCC_E_IO;
	rc = fsync(fd);
	close(fd);
	return rc ? PCC_E_IO : PCC_OK;
}

/* temp file + fsync + rename + fsync(dir): old or new, never a mix */
static enum pcc_status write_atomic(const char *path, const uint8_t *buf,
				    size_t len)
{
	char tmp[4096 + 8];
	int fd;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return PCC_E_IO;
	ok = write_all(fd, buf, len) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path)) {
		unlink(tmp);
		return PCC_E_IO;
	}
	return fsync_dir_of(path);
}

enum pcc_status pcc_keystore_create_storage_key(const char *path)
{
	uint8_t key[PCC_KS_STORAGE_KEY_LEN];
	enum pcc_status st;
	int fd;
	bool ok;

	if (!path)
		return PCC_E_ARGUMENT;
	st = pcc_random(key, sizeof(key));
	if (st != PCC_OK)
		return st;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		pcc_wipe(key, sizeof(key));
		return PCC_E_IO;
	}
	ok = write_all(fd, key, sizeof(key)) && fsync(fd) == 0;
	ok = close(fd) == 0 && ok;
	pcc_wipe(key, sizeof(key));
	if (!ok) {
		unlink(path);
		return PCC_E_IO;
	}
	return fsync_dir_of(path);
}

static enum pcc_status load_storage_key(struct pcc_keystore *ks,
					const char *path)
{
	size_t len = 0;
	enum pcc_status st = read_file(path, ks->storage_key,
				       sizeof(ks->storage_key), &len);

	if (st == PCC_E_NOT_FOUND || st == PCC_E_STORE_CORRUPT)
		return PCC_E_IO;	/* a missing storage key is a setup error */
	if (st == PCC_OK && len != PCC_KS_STORAGE_KEY_LEN)
		return PCC_E_KEY_LENGTH;
	return st;
}

/* ---- serialisation (big-endian integers, fixed records) ---- */

static uint8_t *put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
	return p + 4;
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_record(const struct entry *e, uint8_t *p)
{
	memset(p, 0, RECORD_LEN);
	memcpy(p, e->name, strlen(e->name));
	p[32] = e->usage;
	p[33] = e->alg;
	p[34] = e->key_len;
	memcpy(p + 36, e->key, 32);
	p[68] = e->dukpt.variant;
	p[69] = e->dukpt.key_type;
	memcpy(p + 70, e->dukpt.ksn, PCC_DUKPT_AES_KSN_LEN);
	put_u32(put_u32(p + 82, e->dukpt.counter), e->dukpt.valid);
	memcpy(p + 90, e->dukpt.reg, REG_BYTES);
}

static bool get_record(struct entry *e, const uint8_t *p)
{
	memcpy(e->name, p, 32);
	if (e->name[31] || !e->name[0])
		return false;
	e->usage = p[32];
	e->alg = p[33];
	e->key_len = p[34];
	memcpy(e->key, p + 36, 32);
	e->dukpt.variant = p[68];
	e->dukpt.key_type = p[69];
	memcpy(e->dukpt.ksn, p + 70, PCC_DUKPT_AES_KSN_LEN);
	e->dukpt.counter = get_u32(p + 82);
	e->dukpt.valid = get_u32(p + 86);
	memcpy(e->dukpt.reg, p + 90, REG_BYTES);
	e->used = 1;
	return e->usage >= PCC_USAGE_MASTER && e->usage <= PCC_USAGE_KBPK &&
	       e->key_len <= 32;
}

/* ---- AES-256-GCM ---- */

static enum pcc_status gcm(bool encrypt, const uint8_t *key,
			   const uint8_t *nonce, const uint8_t *in,
			   size_t len, uint8_t *out, uint8_t *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl = 0, finl = 0, ok;

	if (!ctx)
		return PCC_E_MEMORY;
	ok = EVP_CipherInit_ex2(ctx, EVP_aes_256_gcm(), key, nonce, encrypt,
				NULL) &&
	     EVP_CipherUpdate(ctx, NULL, &outl, (const uint8_t *)MAGIC,
			      MAGIC_LEN) &&
	     EVP_CipherUpdate(ctx, out, &outl, in, (int)len);
	if (ok && !encrypt)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
					 tag);
	if (ok)
		ok = EVP_CipherFinal_ex(ctx, out + outl, &finl);
	if (ok && encrypt)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
					 tag);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok)
		return encrypt ? PCC_E_CIPHER : PCC_E_STORE_CORRUPT;
	return PCC_OK;
}

static enum pcc_status load_store(struct pcc_keystore *ks)
{
	uint8_t *file = malloc(FILE_MAX);	/* ciphertext: not secret */
	size_t len = 0, plain_len, count;
	enum pcc_status st;

	if (!file)
		return PCC_E_MEMORY;
	st = read_file(ks->path, file, FILE_MAX, &len);
	if (st == PCC_OK)
		st = len < MAGIC_LEN + NONCE_LEN + 1 + TAG_LEN ||
		     memcmp(file, MAGIC, MAGIC_LEN) ? PCC_E_STORE_CORRUPT :
		     PCC_OK;
	if (st != PCC_OK) {
		free(file);
		return st == PCC_E_NOT_FOUND ? PCC_OK : st;	/* new store */
	}
	plain_len = len - MAGIC_LEN - NONCE_LEN - TAG_LEN;
	st = gcm(false, ks->storage_key, file + MAGIC_LEN,
		 file + MAGIC_LEN + NONCE_LEN, plain_len, ks->plain,
		 file + len - TAG_LEN);
	free(file);
	if (st != PCC_OK)
		return st;
	count = ks->plain[0];
	if (count > PCC_KS_MAX_KEYS || plain_len != 1 + count * RECORD_LEN)
		return PCC_E_STORE_CORRUPT;
	for (size_t i = 0; i < count; i++)
		if (!get_record(&ks->entries[i],
				ks->plain + 1 + i * RECORD_LEN))
			return PCC_E_STORE_CORRUPT;
	return PCC_OK;
}

enum pcc_status pcc_keystore_commit(struct pcc_keystore *ks)
{
	size_t count = 0, plain_len;
	enum pcc_status st;
	uint8_t *file;

	if (!ks)
		return PCC_E_ARGUMENT;
	file = malloc(FILE_MAX);
	if (!file)
		return PCC_E_MEMORY;
	for (size_t i = 0; i < PCC_KS_MAX_KEYS; i++)
		if (ks->entries[i].used && !ks->entries[i].held)
			put_record(&ks->entries[i],
				   ks->plain + 1 + count++ * RECORD_LEN);
	ks->plain[0] = (uint8_t)count;
	plain_len = 1 + count * RECORD_LEN;
	memcpy(file, MAGIC, MAGIC_LEN);
	st = pcc_random(file + MAGIC_LEN, NONCE_LEN);
	if (st == PCC_OK)
		st = gcm(true, ks->storage_key, file + MAGIC_LEN, ks->plain,
			 plain_len, file + MAGIC_LEN + NONCE_LEN,
			 file + MAGIC_LEN + NONCE_LEN + plain_len);
	pcc_wipe(ks->plain, plain_len);
	if (st == PCC_OK)
		st = write_atomic(ks->path, file,
				  MAGIC_LEN + NONCE_LEN + plain_len + TAG_LEN);
	free(file);
	return st;
}

enum pcc_status pcc_keystore_open(const char *store_path,
				  const char *storage_key_path,
				  struct pcc_keystore **out)
{
	struct pcc_keystore *ks;
	enum pcc_status st;

	if (!store_path || !storage_key_path || !out)
		return PCC_E_ARGUMENT;
	if (strlen(store_path) >= sizeof(ks->path))
		return PCC_E_ARGUMENT;
	ks = secure_alloc();
	if (!ks)
		return PCC_E_MEMORY;
	strcpy(ks->path, store_path);
	st = load_storage_key(ks, storage_key_path);
	if (st == PCC_OK)
		st = load_store(ks);
	pcc_wipe(ks->plain, sizeof(ks->plain));
	if (st != PCC_OK) {
		pcc_keystore_close(ks);
		return st;
	}
	*out = ks;
	return PCC_OK;
}

/* ---- entries ---- */

static bool name_ok(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strnlen(name, PCC_KS_NAME_MAX + 1);
	if (!n || n > PCC_KS_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-", name[i]))
			return false;
	return true;
}

static struct entry *find(const struct pcc_keystore *ks, const char *name)
{
	if (!ks || !name)
		return NULL;
	for (size_t i = 0; i < PCC_KS_MAX_KEYS; i++)
		if (ks->entries[i].used && !strcmp(ks->entries[i].name, name))
			return (struct entry *)&ks->entries[i];
	return NULL;
}

/* The entry @name if it exists and has @usage. */
static enum pcc_status lookup(const struct pcc_keystore *ks,
			      const char *name, enum pcc_key_usage usage,
			      struct entry **e)
{
	if (!ks || !name_ok(name))
		return PCC_E_ARGUMENT;
	*e = find(ks, name);
	if (!*e)
		return PCC_E_NOT_FOUND;
	return (*e)->usage == usage ? PCC_OK : PCC_E_KEY_USAGE;
}

/* An entry to (re)write for @name: the existing one or a free slot. */
static struct entry *slot_for(struct pcc_keystore *ks, const char *name)
{
	struct entry *e = find(ks, name);

	for (size_t i = 0; !e && i < PCC_KS_MAX_KEYS; i++)
		if (!ks->entries[i].used)
			e = &ks->entries[i];
	if (e) {
		pcc_wipe(e, sizeof(*e));
		strcpy(e->name, name);
	}
	return e;
}

enum pcc_status pcc_keystore_put(struct pcc_keystore *ks, const char *name,
				 enum pcc_key_usage usage, enum pcc_alg alg,
				 const uint8_t *key, size_t key_len)
{
	struct entry *e;

	if (!ks || !key || !name_ok(name) || usage < PCC_USAGE_MASTER ||
	    usage == PCC_USAGE_DUKPT || usage > PCC_USAGE_KBPK ||
	    !pcc_block_size(alg))
		return PCC_E_ARGUMENT;
	if (!pcc_key_length_ok(alg, key_len))
		return PCC_E_KEY_LENGTH;
	e = slot_for(ks, name);
	if (!e)
		return PCC_E_MEMORY;
	e->usage = (uint8_t)usage;
	e->alg = (uint8_t)alg;
	e->key_len = (uint8_t)key_len;
	memcpy(e->key, key, key_len);
	e->used = 1;
	return PCC_OK;
}

enum pcc_status pcc_keystore_remove(struct pcc_keystore *ks,
				    const char *name)
{
	struct entry *e = find(ks, name);

	if (!e)
		return ks && name ? PCC_E_NOT_FOUND : PCC_E_ARGUMENT;
	pcc_wipe(e, sizeof(*e));
	return PCC_OK;
}

enum pcc_status pcc_keystore_info(const struct pcc_keystore *ks,
				  const char *name, enum pcc_key_usage *usage,
				  enum pcc_alg *alg, size_t *key_len)
{
	struct entry *e = find(ks, name);

	if (!e)
		return ks && name ? PCC_E_NOT_FOUND : PCC_E_ARGUMENT;
	if (usage)
		*usage = (enum pcc_key_usage)e->usage;
	if (alg)
		*alg = (enum pcc_alg)e->alg;
	if (key_len)
		*key_len = e->key_len;
	return PCC_OK;
}

enum pcc_status pcc_keystore_kcv(const struct pcc_keystore *ks,
				 const char *name, enum pcc_kcv_method method,
				 uint8_t *kcv, size_t kcv_len)
{
	struct entry *e = find(ks, name);

	if (!e)
		return ks && name ? PCC_E_NOT_FOUND : PCC_E_ARGUMENT;
	if (e->usage == PCC_USAGE_DUKPT)
		return PCC_E_KEY_USAGE;
	return pcc_kcv(method, (enum pcc_alg)e->alg, e->key, e->key_len, kcv,
		       kcv_len);
}

enum pcc_status pcc_keystore_load_working_key(struct pcc_keystore *ks,
					      const char *master_name,
					      const char *name,
					      enum pcc_key_usage usage,
					      const uint8_t *enc,
					      size_t enc_len,
					      const uint8_t check_value[4])
{
	uint8_t key[16];
	struct entry *master;
	enum pcc_status st;

	if (usage != PCC_USAGE_PIN && usage != PCC_USAGE_MAC &&
	    usage != PCC_USAGE_DATA)
		return PCC_E_KEY_USAGE;
	st = lookup(ks, master_name, PCC_USAGE_MASTER, &master);
	if (st != PCC_OK)
		return st;
	if (master->alg != PCC_ALG_TDES)
		return PCC_E_ALGORITHM;
	st = pcc_workkey_decrypt(master->key, master->key_len, enc, enc_len,
				 check_value, false, key);
	if (st == PCC_OK)
		st = pcc_keystore_put(ks, name, usage, PCC_ALG_TDES, key,
				      enc_len);
	pcc_wipe(key, sizeof(key));
	return st;
}

enum pcc_status pcc_keystore_pin_encrypt(const struct pcc_keystore *ks,
					 const char *name,
					 enum pcc_pin_format format,
					 const char *pin, const char *pan,
					 uint8_t *out)
{
	struct entry *e;
	enum pcc_status st = lookup(ks, name, PCC_USAGE_PIN, &e);

	if (st != PCC_OK)
		return st;
	if ((format == PCC_PIN_ISO4) != (e->alg == PCC_ALG_AES))
		return PCC_E_ALGORITHM;
	return pcc_pinblock_encrypt(format, e->key, e->key_len, pin, pan, out);
}

enum pcc_status pcc_keystore_mac(const struct pcc_keystore *ks,
				 const char *name,
				 const struct pcc_mac_spec *spec,
				 const uint8_t *msg, size_t msg_len,
				 uint8_t *mac, size_t mac_len)
{
	struct entry *e;
	enum pcc_status st = lookup(ks, name, PCC_USAGE_MAC, &e);

	if (st != PCC_OK)
		return st;
	return pcc_mac(spec, e->key, e->key_len, msg, msg_len, mac, mac_len);
}

enum pcc_status pcc_keystore_mac_verify(const struct pcc_keystore *ks,
					const char *name,
					const struct pcc_mac_spec *spec,
					const uint8_t *msg, size_t msg_len,
					const uint8_t *mac, size_t mac_len)
{
	struct entry *e;
	enum pcc_status st = lookup(ks, name, PCC_USAGE_MAC, &e);

	if (st != PCC_OK)
		return st;
	return pcc_mac_verify(spec, e->key, e->key_len, msg, msg_len, mac,
			      mac_len);
}

enum pcc_status pcc_keystore_data_crypt(const struct pcc_keystore *ks,
					const char *name, bool encrypt,
					const uint8_t *in, uint8_t *out,
					size_t len)
{
	struct entry *e;
	enum pcc_status st = lookup(ks, name, PCC_USAGE_DATA, &e);

	if (st != PCC_OK)
		return st;
	return (encrypt ? pcc_ecb_encrypt : pcc_ecb_decrypt)(
		(enum pcc_alg)e->alg, e->key, e->key_len, in, out, len);
}

enum pcc_status pcc_keystore_dukpt_load(struct pcc_keystore *ks,
					const char *name,
					enum pcc_dukpt_variant variant,
					const uint8_t *initial_key,
					size_t key_len, const uint8_t *ksn,
					size_t ksn_len)
{
	struct pcc_dukpt_terminal *t;
	struct entry *e;
	enum pcc_status st;

	if (!ks || !name_ok(name))
		return PCC_E_ARGUMENT;
	e = slot_for(ks, name);
	if (!e)
		return PCC_E_MEMORY;
	t = &e->dukpt;
	st = pcc_dukpt_terminal_load(t, variant, initial_key, key_len, ksn,
				     ksn_len);
	if (st != PCC_OK) {
		pcc_wipe(e, sizeof(*e));
		return st;
	}
	e->usage = PCC_USAGE_DUKPT;
	e->alg = variant == PCC_DUKPT_TDES ? PCC_ALG_TDES : PCC_ALG_AES;
	e->used = 1;
	return PCC_OK;
}

/*
 * The PIN key of the current counter of DUKPT state @e into @key, its KSN
 * into @ksn; then the counter advanced and the store committed, so the
 * counter is spent on disk before the key can be used (a crash never
 * reuses one).  The key is a TDES 2TDEA key, or AES of the derivation
 * key's own type; *@alg and *@key_len say which.
 */
static enum pcc_status dukpt_take_pin_key(struct pcc_keystore *ks,
					  struct entry *e, uint8_t key[32],
					  enum pcc_alg *alg, size_t *key_len,
					  uint8_t *ksn)
{
	enum pcc_dukpt_key_type type =
		(enum pcc_dukpt_key_type)e->dukpt.key_type;
	enum pcc_status st = pcc_dukpt_terminal_key(&e->dukpt, PCC_DUKPT_PIN,
						    type, key, ksn);

	if (st == PCC_OK) {
		st = pcc_dukpt_terminal_advance(&e->dukpt);
		/* this key is good; the next call fails */
		if (st == PCC_E_DUKPT_EXHAUSTED)
			st = PCC_OK;
	}
	if (st == PCC_OK)
		st = pcc_keystore_commit(ks);
	if (st != PCC_OK) {
		pcc_wipe(key, 32);
		return st;
	}
	*alg = e->dukpt.variant == PCC_DUKPT_TDES ? PCC_ALG_TDES :
	       PCC_ALG_AES;
	*key_len = pcc_dukpt_key_len(type);
	return PCC_OK;
}

enum pcc_status pcc_keystore_dukpt_pin_encrypt(struct pcc_keystore *ks,
					       const char *name,
					       enum pcc_pin_format format,
					       const char *pin,
					       const char *pan, uint8_t *out,
					       uint8_t *ksn)
{
	uint8_t key[32], block[PCC_PINBLOCK_MAX];
	enum pcc_alg alg;
	size_t key_len;
	struct entry *e;
	enum pcc_status st = lookup(ks, name, PCC_USAGE_DUKPT, &e);

	if (st != PCC_OK)
		return st;
	if (!out || !ksn)
		return PCC_E_ARGUMENT;
	if (format != (e->dukpt.variant == PCC_DUKPT_TDES ? PCC_PIN_ISO0 :
		       PCC_PIN_ISO4))
		return PCC_E_ALGORITHM;
	/* never reuse a counter: advanced and persisted before the block
	 * leaves */
	st = dukpt_take_pin_key(ks, e, key, &alg, &key_len, ksn);
	if (st == PCC_OK)
		st = pcc_pinblock_encrypt(format, key, key_len, pin, pan,
					  block);
	if (st == PCC_OK)
		memcpy(out, block, pcc_pinblock_len(format));
	pcc_wipe(key, sizeof(key));
	pcc_wipe(block, sizeof(block));
	return st;
}

enum pcc_status pcc_keystore_dukpt_hold_pin_key(struct pcc_keystore *ks,
						const char *name,
						const char *key_name,
						uint8_t *ksn)
{
	uint8_t key[32];
	enum pcc_alg alg;
	size_t key_len;
	struct entry *e, *held;
	enum pcc_status st = lookup(ks, name, PCC_USAGE_DUKPT, &e);

	if (st != PCC_OK)
		return st;
	if (!ksn || !name_ok(key_name) || find(ks, key_name))
		return PCC_E_ARGUMENT;	/* never replaces a stored key */
	held = slot_for(ks, key_name);
	if (!held)
		return PCC_E_MEMORY;
	held->held = 1;		/* out of the commit below and every later one */
	st = dukpt_take_pin_key(ks, e, key, &alg, &key_len, ksn);
	if (st == PCC_OK) {
		held->usage = PCC_USAGE_PIN;
		held->alg = (uint8_t)alg;
		held->key_len = (uint8_t)key_len;
		memcpy(held->key, key, key_len);
		held->used = 1;
	} else {
		pcc_wipe(held, sizeof(*held));
	}
	pcc_wipe(key, sizeof(key));
	return st;
}

/* Store usage for a TR-31 key usage, 0 when a terminal has no use for it. */
static enum pcc_key_usage usage_of_block(const char usage[2])
{
	static const struct {
		const char *tr31;
		enum pcc_key_usage usage;
	} map[] = {
		{ "K0", PCC_USAGE_MASTER }, { "K1", PCC_USAGE_KBPK },
		{ "P0", PCC_USAGE_PIN }, { "D0", PCC_USAGE_DATA },
		{ "B1", PCC_USAGE_DUKPT },
	};

	if (usage[0] == 'M' && usage[1] >= '0' && usage[1] <= '8')
		return PCC_USAGE_MAC;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!memcmp(map[i].tr31, usage, 2))
			return map[i].usage;
	return 0;
}

/* The initial KSN of a B1 block: KS (TDES, 10 bytes) or IK (AES, 8-byte
 * initial key ID, counter 0). */
static enum pcc_status block_ksn(const char *block,
				 const struct pcc_tr31_header *h,
				 enum pcc_dukpt_variant variant, uint8_t *ksn,
				 size_t *ksn_len)
{
	const char *id = variant == PCC_DUKPT_TDES ? "KS" : "IK";
	size_t want = variant == PCC_DUKPT_TDES ? 20 : 16;

	for (unsigned i = 0; i < h->n_opt && i < PCC_TR31_MAX_OPT; i++) {
		if (strcmp(h->opt[i].id, id))
			continue;
		if (h->opt[i].len != want ||
		    hex_decode(block + h->opt[i].offset, want, ksn, 12) < 0)
			return PCC_E_KSN;
		memset(ksn + want / 2, 0, 12 - want / 2);
		*ksn_len = variant == PCC_DUKPT_TDES ? 10 : 12;
		return PCC_OK;
	}
	return PCC_E_KSN;
}

static enum pcc_status import_dukpt(struct pcc_keystore *ks,
				    const char *name, const char *block,
				    const struct pcc_tr31_header *h,
				    const uint8_t *key, size_t key_len)
{
	enum pcc_dukpt_variant variant = h->algorithm == 'A' ?
					 PCC_DUKPT_AES : PCC_DUKPT_TDES;
	uint8_t ksn[12];
	size_t ksn_len = 0;
	enum pcc_status st = block_ksn(block, h, variant, ksn, &ksn_len);

	if (st == PCC_OK)
		st = pcc_keystore_dukpt_load(ks, name, variant, key, key_len,
					     ksn, ksn_len);
	return st;
}

enum pcc_status pcc_keystore_import_tr31(struct pcc_keystore *ks,
					 const char *kbpk_name,
					 const char *name, const char *block,
					 size_t len)
{
	struct pcc_tr31_header hdr;
	uint8_t key[PCC_TR31_MAX_KEY];
	size_t key_len = 0;
	struct entry *kbpk;
	enum pcc_key_usage usage;
	enum pcc_status st = lookup(ks, kbpk_name, PCC_USAGE_KBPK, &kbpk);

	if (st != PCC_OK)
		return st;
	if (!name_ok(name) || !block)
		return PCC_E_ARGUMENT;
	st = pcc_tr31_unwrap(kbpk->key, kbpk->key_len, block, len, &hdr, key,
			     &key_len);
	usage = st == PCC_OK ? usage_of_block(hdr.usage) : 0;
	if (st == PCC_OK && !usage)
		st = PCC_E_KEY_USAGE;
	if (st == PCC_OK && hdr.algorithm != 'T' && hdr.algorithm != 'A')
		st = PCC_E_ALGORITHM;
	if (st == PCC_OK && usage == PCC_USAGE_DUKPT)
		st = import_dukpt(ks, name, block, &hdr, key, key_len);
	else if (st == PCC_OK)
		st = pcc_keystore_put(ks, name, usage, hdr.algorithm == 'A' ?
				      PCC_ALG_AES : PCC_ALG_TDES, key,
				      key_len);
	pcc_wipe(key, sizeof(key));
	return st;
}
