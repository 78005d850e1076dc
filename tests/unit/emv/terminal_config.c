// SPDX-License-Identifier: MIT
#include <string.h>

#include "terminal_config.h"

void test_terminal_config(struct emv_terminal_config *c)
{
	memset(c, 0, sizeof(*c));
	c->aids = emv_default_aids;
	c->n_aids = emv_n_default_aids;
	memcpy(c->country, "\x01\x56", 2);
	memcpy(c->currency, "\x01\x56", 2);
	/* 9F33: IC reader; online enciphered PIN (40) and no CVM (08); SDA,
	 * DDA and CDA (C8) */
	memcpy(c->capabilities, "\x20\x48\xc8", 3);
	c->default_ddol = (const uint8_t *)"\x9f\x37\x04";
	c->default_ddol_len = 3;
	c->terminal_type = 0x22;
	memcpy(c->app_version, "\x00\x30", 2);
	memcpy(c->ttq, "\x26\x00\x00\x80", 4);
	memcpy(c->ifd_serial, "PAYCARD1", 8);
	/* online-only: decline offline on an expired card */
	memcpy(c->tac.denial, "\x00\x40\x00\x00\x00", 5);
	memcpy(c->tac.online, "\xff\xff\xff\xff\xff", 5);
	memcpy(c->tac.dflt, "\xff\xff\xff\xff\xff", 5);
}
