// SPDX-License-Identifier: MIT
/*
 * txn-keystore-init STORE STORAGE_KEY TMK_HEX [KBPK_HEX] [--dukpt BDK_HEX KSN_HEX]:
 * make the key store a test terminal starts with (a new storage key, the
 * master key "TMK" and, when given, the key block protection key "KBPK"
 * InjectKey unwraps TR-31 blocks under: 16 bytes TDES, 32 bytes AES; with
 * --dukpt, TDES DUKPT terminal state "DUKPT" loaded from the initial key
 * (IPEK) of the 16-byte BDK and the 10-byte initial KSN, counter bits
 * zero), as an integrator's manufacturing key loading would: the BDK
 * stays here, the terminal gets the IPEK's future key registers only.
 * Test tool only.
 */
#include <stdio.h>
#include <string.h>

#include "common/hex.h"
#include "crypto/keystore.h"
#include "txn/engine.h"

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

/* The host side's derivation (X9.24-1 IPEK from BDK and KSN), then the
 * terminal's initial key load; the IPEK is not kept. */
static enum pcc_status put_dukpt(struct pcc_keystore *ks, const char *bdk_hex,
				 const char *ksn_hex)
{
	uint8_t bdk[16], ksn[PCC_DUKPT_TDES_KSN_LEN], ipek[16];
	enum pcc_status st = PCC_E_KSN;

	if (hex_decode(bdk_hex, strlen(bdk_hex), bdk, sizeof(bdk)) != 16)
		return PCC_E_KEY_LENGTH;
	if (hex_decode(ksn_hex, strlen(ksn_hex), ksn, sizeof(ksn)) == sizeof(ksn))
		st = pcc_dukpt_tdes_ipek(bdk, ksn, ipek);
	if (st == PCC_OK)
		st = pcc_keystore_dukpt_load(ks, TXN_KEY_DUKPT, PCC_DUKPT_TDES, ipek,
					     sizeof(ipek), ksn, sizeof(ksn));
	pcc_wipe(bdk, sizeof(bdk));
	pcc_wipe(ipek, sizeof(ipek));
	return st;
}

static int usage(void)
{
	fprintf(stderr, "usage: txn-keystore-init STORE STORAGE_KEY TMK_HEX32 [KBPK_HEX32|64] "
			"[--dukpt BDK_HEX32 KSN_HEX20]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct pcc_keystore *ks = NULL;
	const char *kbpk = NULL, *bdk = NULL, *ksn = NULL;
	uint8_t tmk[16];
	enum pcc_status st;
	int i = 4;

	if (argc < 4 || hex_decode(argv[3], strlen(argv[3]), tmk, sizeof(tmk)) != 16)
		return usage();
	if (i < argc && strcmp(argv[i], "--dukpt"))
		kbpk = argv[i++];
	if (i < argc) {
		if (strcmp(argv[i], "--dukpt") || argc != i + 3)
			return usage();
		bdk = argv[i + 1];
		ksn = argv[i + 2];
	}
	st = pcc_keystore_create_storage_key(argv[2]);
	if (st == PCC_OK)
		st = pcc_keystore_open(argv[1], argv[2], &ks);
	if (st == PCC_OK)
		st = pcc_keystore_put(ks, "TMK", PCC_USAGE_MASTER, PCC_ALG_TDES, tmk, sizeof(tmk));
	if (st == PCC_OK && kbpk)
		st = put_kbpk(ks, kbpk);
	if (st == PCC_OK && bdk)
		st = put_dukpt(ks, bdk, ksn);
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
