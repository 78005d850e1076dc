// SPDX-License-Identifier: MIT
/*
 * The terminal flow against a card whose every answer comes from the
 * fuzzer: the input is a sequence of R-APDUs, each one length byte then
 * that many bytes (data + SW).  Exercises selection (PSE, FCI, directory
 * records), GPO, records, GENERATE AC and the second half with scripts.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "emv/terminal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct feed {
	const uint8_t *p;
	size_t left;
};

static int fed_card(void *ctx, const uint8_t *capdu, size_t capdu_len,
		    uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct feed *f = ctx;
	size_t n;

	if (f->left == 0)
		return -ENOMEDIUM;
	n = f->p[0];
	f->p++;
	f->left--;
	if (n > f->left)
		n = f->left;
	if (n > rapdu_size)
		return -EMSGSIZE;
	memcpy(rapdu, f->p, n);
	f->p += n;
	f->left -= n;
	*rapdu_len = n;
	return 0;
}

static struct emv_session session;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t scripts[] = {
		0x71, 0x07, 0x86, 0x05, 0x80, 0xca, 0x9f, 0x17, 0x00,
	};
	struct feed f = { data, size };
	struct emv_transport t = { fed_card, &f };
	struct emv_terminal_config cfg = {
		.aids = emv_default_aids, .n_aids = emv_n_default_aids,
		.country = { 0x01, 0x56 }, .currency = { 0x01, 0x56 },
		.capabilities = { 0x20, 0x48, 0x08 }, .terminal_type = 0x22,
	};
	struct emv_txn_params txn = {
		.amount = 1234, .date = { 0x26, 0x11, 0x22 },
	};
	struct emv_host_reply reply = {
		.online = true, .arc = { '0', '0' },
		.issuer_auth = (const uint8_t *)"0123456789", .issuer_auth_len = 10,
		.scripts = scripts, .scripts_len = sizeof(scripts),
	};
	enum emv_ac_type type;
	uint8_t f55[512];
	size_t len;

	emv_session_init(&session, &t, &cfg);
	if (emv_session_read_card(&session, &txn) == EMV_OK &&
	    emv_session_first_ac(&session, &type) == EMV_OK &&
	    type == EMV_AC_ARQC) {
		emv_session_field55(&session, &emv_field55_cup_request, f55,
				    sizeof(f55), &len);
		emv_session_complete(&session, &reply, &type);
	}
	emv_session_end(&session);
	return 0;
}
