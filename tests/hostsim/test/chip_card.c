// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "chip_card.h"
#include "iso8583/tlv.h"
#include "terminal_config.h"

static int fail(const char *step, enum emv_status st)
{
	fprintf(stderr, "chip card: %s failed (%d)\n", step, (int)st);
	return -1;
}

int chip_card_read(struct chip_card *c, const char *path, long long amount)
{
	struct vcard_profile profile;
	struct emv_txn_params txn = {
		.amount = (uint64_t)amount, .type = 0x00,
		.date = { 0x26, 0x11, 0x22 }, .time = { 0x12, 0x00, 0x00 },
		.unpredictable = { 0x5a, 0x17, 0xc3, 0x08 }, .sequence = 1,
	};
	enum emv_ac_type type;
	enum emv_status st;
	char err[128] = "profile unusable";

	memset(c, 0, sizeof(*c));
	if (vcard_profile_load(&profile, path, err, sizeof(err)) ||
	    vcard_init(&c->card, &profile)) {
		fprintf(stderr, "chip card: %s: %s\n", path, err);
		return -1;
	}
	test_terminal_config(&c->config);
	c->transport.transceive = vcard_transceive;
	c->transport.ctx = &c->card;
	emv_session_init(&c->session, &c->transport, &c->config);
	st = emv_session_read_card(&c->session, &txn);
	if (st)
		return fail("read", st);
	emv_session_pin_entered(&c->session);
	st = emv_session_first_ac(&c->session, &type);
	if (st || type != EMV_AC_ARQC)
		return fail("first GENERATE AC", st);
	st = emv_session_field55(&c->session, &emv_field55_cup_request, c->f55,
				 sizeof(c->f55), &c->f55_len);
	return st ? fail("field 55", st) : 0;
}

void chip_card_request(const struct chip_card *c, struct iso_msg *m)
{
	const struct emv_card_info *card = &c->session.card;
	char psn[12];

	iso_msg_set_str(m, 2, card->pan);
	iso_msg_set_str(m, 22, "051");		/* chip, PIN entered */
	if (card->psn >= 0) {
		snprintf(psn, sizeof(psn), "%03d", card->psn);
		iso_msg_set_str(m, 23, psn);
	}
	iso_msg_set_str(m, 35, card->track2);
	iso_msg_set(m, 55, c->f55, c->f55_len);
}

int chip_card_complete(struct chip_card *c, const struct iso_msg *resp,
		       enum emv_ac_type *type)
{
	struct emv_host_reply reply = { .online = true };
	size_t len = 0;
	const uint8_t *f55 = iso_msg_get(resp, 55, &len);
	struct tlv t;
	char rc[3] = "";

	if (iso_msg_get_str(resp, 39, rc, sizeof(rc)))
		return -1;
	memcpy(reply.arc, rc, 2);
	if (f55 && tlv_find(f55, len, 0x91, &t) == TLV_OK) {
		reply.issuer_auth = t.value;
		reply.issuer_auth_len = t.len;
	}
	return emv_session_complete(&c->session, &reply, type) ? -1 : 0;
}

int chip_card_tamper(struct chip_card *c, uint32_t tag, size_t index,
		     uint8_t value)
{
	struct tlv t;

	if (tlv_find(c->f55, c->f55_len, tag, &t) != TLV_OK || index >= t.len)
		return -1;
	c->f55[t.value - c->f55 + index] = value;
	return 0;
}

void chip_card_remove(struct chip_card *c)
{
	emv_session_end(&c->session);
	vcard_wipe(&c->card);
}
