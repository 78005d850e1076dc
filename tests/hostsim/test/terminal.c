// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "common/hex.h"
#include "crypto/mac.h"
#include "crypto/pinblock.h"
#include "crypto/workkey.h"
#include "terminal.h"

/* STANs must not repeat within a batch, across every terminal object a
 * test process opens (they all play the same terminal). */
static unsigned last_stan = 100;

/* The DESIGN.md UnionPay master key vector. */
static const char tmk_hex[] = "70F2A84CCBC2AE8625CBB0F2C22AB923";

int terminal_open(struct terminal *t, const struct link_options *o)
{
	char ca[300];
	struct hostlink_config cfg = {
		.hosts = { { "127.0.0.1", o->port } },
		.tls = o->tls, .ca_file = ca, .server_name = "localhost",
		.connect_timeout_ms = 3000, .io_timeout_ms = o->io_timeout_ms,
	};

	memset(t, 0, sizeof(*t));
	snprintf(ca, sizeof(ca), "%s/ca.pem", o->certs);
	snprintf(t->tid, sizeof(t->tid), "12345678");
	snprintf(t->mid, sizeof(t->mid), "898100012345678");
	snprintf(t->batch, sizeof(t->batch), "000001");
	hex_decode(tmk_hex, 32, t->tmk, sizeof(t->tmk));
	memcpy(t->env.tpdu, "\x60\x00\x03\x00\x00", 5);
	memcpy(t->env.header, "\x60\x31\x00\x00\x00\x00", 6);
	t->stan = last_stan;
	if (hostlink_new(&cfg, &t->link))
		return -1;
	return hostlink_connect(t->link);
}

void terminal_close(struct terminal *t)
{
	hostlink_free(t->link);
	t->link = NULL;
}

const char *terminal_next_stan(struct terminal *t, char stan[7])
{
	if (++t->stan > last_stan)
		last_stan = t->stan;
	snprintf(stan, 7, "%06u", t->stan % 1000000);
	return stan;
}

void terminal_request(struct terminal *t, struct iso_msg *m, const char *mti,
		      const char *proc, long long amount, const char *type,
		      const char *netcode)
{
	char text[32];

	iso_msg_init(m, mti);
	if (proc)
		iso_msg_set_str(m, 3, proc);
	if (amount >= 0) {
		snprintf(text, sizeof(text), "%012lld", amount);
		iso_msg_set_str(m, 4, text);
	}
	iso_msg_set_str(m, 11, terminal_next_stan(t, text));
	if (strcmp(mti, "0800") && strcmp(mti, "0820") && strcmp(mti, "0500") &&
	    strcmp(mti, "0320"))
		iso_msg_set_str(m, 25, "00");
	iso_msg_set_str(m, 41, t->tid);
	iso_msg_set_str(m, 42, t->mid);
	if (amount >= 0)
		iso_msg_set_str(m, 49, "156");
	snprintf(text, sizeof(text), "%s%s%s", type, t->batch, netcode ? netcode : "");
	iso_msg_set_str(m, 60, text);
}

void terminal_card(struct terminal *t, struct iso_msg *m, const char *pan,
		   const char *pin)
{
	uint8_t block[8];

	iso_msg_set_str(m, 2, pan);
	iso_msg_set_str(m, 22, pin ? "021" : "022");
	if (!pin)
		return;
	if (pcc_pinblock_encrypt(PCC_PIN_ISO0, t->pik, t->key_len, pin, pan,
				 block) == PCC_OK)
		iso_msg_set(m, 52, block, sizeof(block));
	iso_msg_set_str(m, 53, "1000000000000000");
}

static int terminal_mac(void *ctx, const uint8_t *data, size_t len, uint8_t mac[8])
{
	const struct terminal *t = ctx;

	return pcc_mac_cup_ecb(t->mak, 8, data, len, mac) == PCC_OK ? 0 : -1;
}

static int decode_last(struct terminal *t, struct iso_msg *resp)
{
	return iso_frame_decode(&iso_dialect_cup, t->raw, t->raw_len, NULL, resp,
				NULL) ? -1 : HL_OK;
}

int terminal_exchange(struct terminal *t, struct iso_msg *req, bool mac,
		      struct iso_msg *resp)
{
	uint8_t frame[4096];
	size_t len;
	int err;

	if (mac ? iso_frame_encode_mac(&iso_dialect_cup, &t->env, req, terminal_mac,
				       t, frame, sizeof(frame), &len, NULL)
		: iso_frame_encode(&iso_dialect_cup, &t->env, req, frame,
				   sizeof(frame), &len, NULL))
		return -2;
	err = hostlink_send(t->link, frame, len);
	if (err)
		return err;
	err = hostlink_recv(t->link, t->raw, sizeof(t->raw), &t->raw_len);
	return err ? err : decode_last(t, resp);
}

int terminal_receive(struct terminal *t, struct iso_msg *resp, int timeout_ms)
{
	int err = hostlink_recv_timeout(t->link, t->raw, sizeof(t->raw),
					&t->raw_len, timeout_ms);

	return err ? err : decode_last(t, resp);
}

bool terminal_response_mac_ok(struct terminal *t, const struct iso_msg *resp)
{
	const uint8_t *span, *mac;
	size_t span_len, mac_len;
	uint8_t want[8];

	if (iso_frame_mac_span(&iso_dialect_cup, t->raw, t->raw_len, resp, &span,
			       &span_len) ||
	    terminal_mac(t, span, span_len, want))
		return false;
	mac = iso_msg_get(resp, 64, &mac_len);
	return mac_len == 8 && memcmp(mac, want, 8) == 0;
}

int terminal_sign_in(struct terminal *t, const char *netcode)
{
	static struct iso_msg req, resp;
	size_t len = strcmp(netcode, "001") ? 16 : 8, n;
	const uint8_t *f62;
	char rc[3];
	int err;

	terminal_request(t, &req, "0800", NULL, -1, "00", netcode);
	err = terminal_exchange(t, &req, false, &resp);
	if (err)
		return err;
	if (iso_msg_get_str(&resp, 39, rc, sizeof(rc)) || strcmp(rc, "00"))
		return -3;
	f62 = iso_msg_get(&resp, 62, &n);
	if (!f62 || n != (strcmp(netcode, "004") ? 2 : 3) * (len + 4))
		return -4;
	/* each key decrypted under the TMK and checked against its CV; the
	 * MAK is single-length (in 003/004: 8 bytes, 8 zero bytes, CV) */
	if (pcc_workkey_decrypt(t->tmk, 16, f62, len, f62 + len, true, t->pik) ||
	    pcc_workkey_decrypt(t->tmk, 16, f62 + len + 4, 8, f62 + 2 * len + 4,
				true, t->mak))
		return -5;
	if (n == 3 * (len + 4) &&
	    pcc_workkey_decrypt(t->tmk, 16, f62 + 2 * (len + 4), len,
				f62 + 3 * len + 8, true, t->tdk))
		return -5;
	t->key_len = len;
	/* the batch is the host's: 60.2 of the 0810 */
	if (iso_subfield_get(&iso_dialect_cup, &resp, 60, 2, t->batch, sizeof(t->batch)))
		return -6;
	return 0;
}
