// SPDX-License-Identifier: MIT
/* MAC and PIN checks with the terminal's session keys (or DUKPT). */
#include <openssl/crypto.h>
#include <string.h>

#include "crypto/dukpt.h"
#include "crypto/mac.h"
#include "crypto/pinblock.h"
#include "request.h"

int hs_mac_callback(void *terminal, const uint8_t *data, size_t len,
		    uint8_t mac[8])
{
	const struct hs_terminal *t = terminal;

	return pcc_mac_cup_ecb(t->mak, t->mak_len, data, len, mac) == PCC_OK ? 0 : -1;
}

bool hs_mac_ok(const struct hs_request *r, const uint8_t *frame, size_t len)
{
	const uint8_t *span, *mac;
	size_t span_len, mac_len;
	uint8_t want[8];

	if (iso_frame_mac_span(&iso_dialect_cup, frame, len, r->req, &span,
			       &span_len))
		return false;
	mac = iso_msg_get(r->req, 64, &mac_len);
	if (hs_mac_callback(r->term, span, span_len, want))
		return false;
	return mac_len == 8 && pcc_equal(want, mac, 8);
}

/* The PIN key: DUKPT when the terminal has a BDK and the request carries a
 * KSN (10 bytes in field 62), else the PIK from sign-in. */
static bool pin_key(const struct hs_request *r, uint8_t key[16], size_t *len)
{
	size_t ksn_len;
	const uint8_t *ksn = iso_msg_get(r->req, 62, &ksn_len);

	if (r->term->has_bdk && ksn && ksn_len == PCC_DUKPT_TDES_KSN_LEN) {
		*len = 16;
		return pcc_dukpt_tdes_derive(r->term->bdk, ksn, PCC_DUKPT_PIN, key) == PCC_OK;
	}
	memcpy(key, r->term->pik, r->term->key_len);
	*len = r->term->key_len;
	return true;
}

const char *hs_check_pin(const struct hs_request *r)
{
	size_t block_len, key_len;
	const uint8_t *block = iso_msg_get(r->req, 52, &block_len);
	char pin[PCC_PIN_MAX + 1];
	uint8_t key[16];
	bool ok;

	if (!block)	/* debit cards need a PIN; credit cards may sign */
		return r->card->credit || !r->card->pin[0] ? RC_APPROVED : RC_WRONG_PIN;
	if (block_len != 8 || !pin_key(r, key, &key_len))
		return RC_WRONG_PIN;
	ok = pcc_pinblock_decrypt(PCC_PIN_ISO0, key, key_len, block, 8, r->pan,
				  pin) == PCC_OK && strcmp(pin, r->card->pin) == 0;
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(pin, sizeof(pin));
	return ok ? RC_APPROVED : RC_WRONG_PIN;
}
