// SPDX-License-Identifier: MIT
/*
 * Sign-in (0800/0810): fresh working keys under the terminal master key.
 * 60.3 chooses the key set:
 *   001  single-length PIK and MAK:  PIK 8 | CV 4 | MAK 8 | CV 4   (24 bytes)
 *   003  double-length PIK, single-length MAK:
 *                                    PIK 16 | CV 4 | MAK 8 | 0^8 | CV 4 (40)
 *   004  as 003 plus a TDK:          ... | TDK 16 | CV 4             (60)
 * Each CV is the first 4 bytes of E(key, 0^8) (docs/unionpay-messages.md,
 * "Field 62 of the 0810", gives the sources).  The batch is the host's: the
 * 0810 gives it in 60.2.  A terminal this host has not seen signing in yet
 * keeps the batch it sends; the host moves to the next one when it settles
 * a batch.
 */
#include <openssl/crypto.h>
#include <string.h>

#include "crypto/cipher.h"
#include "crypto/workkey.h"
#include "request.h"

static bool new_key(const struct hs_terminal *t, uint8_t *key, size_t len,
		    uint8_t *out)
{
	if (pcc_random(key, len) != PCC_OK)
		return false;
	pcc_des_parity_set(key, len);
	return pcc_workkey_encrypt(t->tmk, sizeof(t->tmk), key, len, out,
				   out + len) == PCC_OK;
}

const char *hs_sign_in(struct hs_request *r)
{
	struct hs_terminal *t = r->term;
	size_t len = strcmp(r->netcode, "001") == 0 ? 8 : 16;
	bool with_tdk = strcmp(r->netcode, "004") == 0;
	uint8_t field62[60], mak_enc[8 + 4];
	char f60[12];
	size_t n = 0, mak_zeros = len - 8;

	if (strcmp(r->netcode, "001") && strcmp(r->netcode, "003") && !with_tdk)
		return RC_FORMAT_ERROR;
	if (strlen(r->batch) != 6)
		return RC_FORMAT_ERROR;
	/* the MAK is single-length; in 003/004 its slot is 16 bytes: the
	 * 8-byte ciphertext, 8 zero bytes (mak_zeros), then the check value */
	memset(field62, 0, sizeof(field62));
	if (!new_key(t, t->pik, len, field62) || !new_key(t, t->mak, 8, mak_enc))
		return RC_SYSTEM_ERROR;
	memcpy(field62 + len + 4, mak_enc, 8);
	memcpy(field62 + len + 4 + 8 + mak_zeros, mak_enc + 8, 4);
	if (with_tdk && !new_key(t, t->tdk, len, field62 + 2 * (len + 4)))
		return RC_SYSTEM_ERROR;
	n = (with_tdk ? 3 : 2) * (len + 4);
	t->key_len = len;
	t->mak_len = 8;
	t->signed_in = true;
	if (!t->batch[0])
		memcpy(t->batch, r->batch, sizeof(t->batch));
	snprintf(f60, sizeof(f60), "00%s%s", t->batch, r->netcode);
	iso_msg_set_str(r->resp, 60, f60);
	iso_msg_set(r->resp, 62, field62, n);
	return RC_APPROVED;
}

const char *hs_sign_out(struct hs_request *r)
{
	struct hs_terminal *t = r->term;

	t->signed_in = false;
	OPENSSL_cleanse(t->pik, sizeof(t->pik));
	OPENSSL_cleanse(t->mak, sizeof(t->mak));
	OPENSSL_cleanse(t->tdk, sizeof(t->tdk));
	return RC_APPROVED;
}
