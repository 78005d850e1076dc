/* SPDX-License-Identifier: MIT */
/*
 * A chip card in the test terminal: the real EMV terminal flow
 * (daemon/emv) run in process against the virtual card (tests/emu/card),
 * so field 55 of a request holds an ARQC the card really computed and the
 * host's ARPC is really checked by the card.
 */
#ifndef PAYCARD_HOSTSIM_TEST_CHIP_CARD_H
#define PAYCARD_HOSTSIM_TEST_CHIP_CARD_H

#include <stddef.h>
#include <stdint.h>

#include "emv/terminal.h"
#include "iso8583/iso8583.h"
#include "virtual_card.h"

struct chip_card {
	struct vcard card;
	struct emv_transport transport;
	struct emv_terminal_config config;
	struct emv_session session;
	uint8_t f55[255];	/* the request's field 55 */
	size_t f55_len;
};

/*
 * Insert the card of the virtual card profile @path and run the flow up to
 * the first GENERATE AC (an ARQC) for a purchase of @amount; field 55 in
 * @c->f55.  Returns 0, or -1 (with a message on stderr) on any failure.
 */
int chip_card_read(struct chip_card *c, const char *path, long long amount);

/* Card data for a request: 2, 22 = 051, 23 (when the card has a PSN),
 * 35 and 55. */
void chip_card_request(const struct chip_card *c, struct iso_msg *m);

/* The host's answer (39, 55 tag 91) to the card's second GENERATE AC. */
int chip_card_complete(struct chip_card *c, const struct iso_msg *resp,
		       enum emv_ac_type *type);

/* Change byte @index of the value of @tag in field 55 (a tampered request). */
int chip_card_tamper(struct chip_card *c, uint32_t tag, size_t index,
		     uint8_t value);

void chip_card_remove(struct chip_card *c);

#endif
