// SPDX-License-Identifier: MIT
/*
 * txn-keystore-init STORE STORAGE_KEY TMK_HEX [KBPK_HEX]: make the key
 * store a test terminal starts with (a new storage key, the master key
 * "TMK" and, when given, the key block protection key "KBPK" InjectKey
 * unwraps TR-31 blocks under: 16 bytes TDES, 32 bytes AES), as an
 * integrator's manufacturing key loading would.  Test tool only.
 */
#include <stdio.h>
#include <string.h>

#include "common/hex.h"
#include "crypto/keystore.h"

static enum pcc_status put_kbpk(struct pcc_keystore *ks, const char *hex)
{
	uint8_t kbpk[32];
	size_t n = hex_decode(hex, strlen(hex), kbpk, sizeof(kbpk));
	enum pcc_status st = n == 16 ? pcc_keystore_put(ks, "KBPK", PCC_USAGE_KBPK, PCC_ALG_TDES,
							 kbpk, n)
			   : n == 32 ? pcc_keystore_put(ks, "KBPK", PCC_USAGE_KBPK, PCC_ALG_AES,
							 kbpk, n)
			   : PCC_E_KEY_LENGTH;

	memset(kbpk, 0, sizeof(kbpk));
	return st;
}

int main(int argc, char **argv)
{
	struct pcc_keystore *ks = NULL;
	uint8_t tmk[16];
	enum pcc_status st;

	if ((argc != 4 && argc != 5) ||
	    hex_decode(argv[3], strlen(argv[3]), tmk, sizeof(tmk)) != 16) {
		fprintf(stderr, "usage: txn-keystore-init STORE STORAGE_KEY TMK_HEX32 [KBPK_HEX32|64]\n");
		return 2;
	}
	st = pcc_keystore_create_storage_key(argv[2]);
	if (st == PCC_OK)
		st = pcc_keystore_open(argv[1], argv[2], &ks);
	if (st == PCC_OK)
		st = pcc_keystore_put(ks, "TMK", PCC_USAGE_MASTER, PCC_ALG_TDES, tmk, sizeof(tmk));
	if (st == PCC_OK && argc == 5)
		st = put_kbpk(ks, argv[4]);
	if (st == PCC_OK)
		st = pcc_keystore_commit(ks);
	pcc_keystore_close(ks);
	memset(tmk, 0, sizeof(tmk));
	if (st != PCC_OK) {
		fprintf(stderr, "txn-keystore-init: %s\n", pcc_strerror(st));
		return 1;
	}
	return 0;
}
