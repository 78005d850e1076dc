// SPDX-License-Identifier: MIT
/*
 * The virtual card (tests/emu/card) on arbitrary C-APDUs, as the reader
 * emulator will feed it whatever the driver sends: the input is a
 * sequence of commands, each one length byte then that many bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "virtual_card.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct vcard card;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vcard_profile p;
	uint8_t rapdu[258];
	size_t rlen;

	vcard_profile_unionpay_debit(&p);
	p.t0_get_response = size && (data[0] & 1);
	p.issuer_auth_in_cdol2 = size && (data[0] & 2);
	if (vcard_init(&card, &p))
		return 0;
	while (size > 0) {
		size_t n = data[0];

		data++;
		size--;
		if (n > size)
			n = size;
		vcard_transceive(&card, data, n, rapdu, sizeof(rapdu), &rlen);
		data += n;
		size -= n;
	}
	vcard_wipe(&card);
	return 0;
}
