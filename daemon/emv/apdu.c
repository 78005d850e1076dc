// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "crypto/cipher.h"
#include "emv/apdu.h"

/* A card that keeps answering 61xx would make us loop for ever. */
#define EMV_MAX_GET_RESPONSE	8

static enum emv_status transport_status(int rc)
{
	if (rc == -ENOMEDIUM || rc == -ENODEV || rc == -ENXIO)
		return EMV_E_CARD_REMOVED;
	return EMV_E_TRANSPORT;
}

/* One raw exchange: build the C-APDU, split the answer into data + SW. */
static enum emv_status transmit(const struct emv_transport *t,
				const struct emv_command *cmd, bool le,
				uint8_t le_value, uint8_t *data, size_t size,
				size_t *data_len, uint16_t *sw)
{
	uint8_t capdu[EMV_CAPDU_MAX], rapdu[258];
	size_t n = 0, rlen = 0;
	enum emv_status st = EMV_OK;
	int rc;

	capdu[n++] = cmd->cla;
	capdu[n++] = cmd->ins;
	capdu[n++] = cmd->p1;
	capdu[n++] = cmd->p2;
	if (cmd->lc) {
		capdu[n++] = (uint8_t)cmd->lc;
		memcpy(capdu + n, cmd->data, cmd->lc);
		n += cmd->lc;
	}
	if (le)
		capdu[n++] = le_value;
	rc = t->transceive(t->ctx, capdu, n, rapdu, sizeof(rapdu), &rlen);
	if (rc < 0)
		st = transport_status(rc);
	else if (rlen < 2 || rlen > sizeof(rapdu))
		st = EMV_E_PROTOCOL;
	else if (rlen - 2 > size)
		st = EMV_E_RECORD_TOO_LONG;
	if (st == EMV_OK) {
		memcpy(data, rapdu, rlen - 2);
		*data_len = rlen - 2;
		*sw = (uint16_t)(rapdu[rlen - 2] << 8 | rapdu[rlen - 1]);
	}
	pcc_wipe(rapdu, sizeof(rapdu));	/* records carry the PAN */
	return st;
}

/* 61xx: fetch the rest with GET RESPONSE, appending to @rsp. */
static enum emv_status get_response(const struct emv_transport *t,
				    const struct emv_command *cmd,
				    struct emv_apdu_response *rsp)
{
	for (int i = 0; (rsp->sw >> 8) == 0x61; i++) {
		struct emv_command gr = { .cla = 0x00, .ins = 0xc0 };
		size_t got = 0;
		enum emv_status st;

		if (i == EMV_MAX_GET_RESPONSE)
			return EMV_E_PROTOCOL;
		st = transmit(t, &gr, true, (uint8_t)rsp->sw,
			      rsp->data + rsp->len,
			      sizeof(rsp->data) - rsp->len, &got, &rsp->sw);
		if (st)
			return st;
		rsp->len += got;
	}
	return EMV_OK;
}

enum emv_status emv_apdu_exchange(const struct emv_transport *t,
				  const struct emv_command *cmd,
				  struct emv_apdu_response *rsp)
{
	enum emv_status st;

	if (!t || !t->transceive || !cmd || !rsp || cmd->lc > 255 ||
	    (cmd->lc && !cmd->data))
		return EMV_E_ARGUMENT;
	rsp->len = 0;
	st = transmit(t, cmd, cmd->le, 0, rsp->data, sizeof(rsp->data),
		      &rsp->len, &rsp->sw);
	if (st)
		return st;
	if ((rsp->sw >> 8) == 0x6c) {
		/* wrong Le: the card tells the exact length; ask again */
		st = transmit(t, cmd, true, (uint8_t)rsp->sw, rsp->data,
			      sizeof(rsp->data), &rsp->len, &rsp->sw);
		if (st)
			return st;
		if ((rsp->sw >> 8) == 0x6c)
			return EMV_E_PROTOCOL;
	}
	return get_response(t, cmd, rsp);
}

enum emv_status emv_apdu_command(const struct emv_transport *t,
				 const struct emv_command *cmd,
				 struct emv_apdu_response *rsp)
{
	enum emv_status st = emv_apdu_exchange(t, cmd, rsp);

	if (st)
		return st;
	return rsp->sw == 0x9000 ? EMV_OK : emv_sw_status(rsp->sw);
}
