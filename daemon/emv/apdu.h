/* SPDX-License-Identifier: MIT */
/*
 * APDU exchange over a caller-supplied transport (the paycard char device,
 * the libusb fallback, the virtual card or a test double), case 1-4 short
 * APDUs per ISO 7816-4 / EMV Book 1 9.3 with the T=0 conveniences the
 * reader passes through: 61xx is followed by GET RESPONSE (accumulating the
 * data) and 6Cxx re-issues the command with Le = xx.
 */
#ifndef PAYCARD_EMV_APDU_H
#define PAYCARD_EMV_APDU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/error.h"

#define EMV_CAPDU_MAX	261	/* 5 header bytes + 255 data + Le */
#define EMV_RDATA_MAX	1024	/* response data kept after GET RESPONSE */

/*
 * transceive sends @capdu and writes the R-APDU (data then SW1 SW2) into
 * @rapdu.  Returns 0, -ENOMEDIUM / -ENODEV / -ENXIO when the card or the
 * reader is gone, or another negative errno for a transport failure.
 */
struct emv_transport {
	int (*transceive)(void *ctx, const uint8_t *capdu, size_t capdu_len,
			  uint8_t *rapdu, size_t rapdu_size,
			  size_t *rapdu_len);
	void *ctx;
};

struct emv_apdu_response {
	uint8_t data[EMV_RDATA_MAX];
	size_t len;
	uint16_t sw;
};

struct emv_command {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;	/* NULL with lc 0 for case 1/2 */
	size_t lc;		/* 0..255 */
	bool le;		/* case 2/4: expect data (Le = 00) */
};

/*
 * Exchange @cmd, following 61xx and 6Cxx.  EMV_OK means the card answered
 * (check rsp->sw); failures are transport or protocol errors only.
 */
enum emv_status emv_apdu_exchange(const struct emv_transport *t,
				  const struct emv_command *cmd,
				  struct emv_apdu_response *rsp);

/* As emv_apdu_exchange, then any SW other than 9000 is its typed error. */
enum emv_status emv_apdu_command(const struct emv_transport *t,
				 const struct emv_command *cmd,
				 struct emv_apdu_response *rsp);

#endif
