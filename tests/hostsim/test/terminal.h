/* SPDX-License-Identifier: MIT */
/*
 * A minimal terminal for the simulator tests: signs in, builds UnionPay
 * requests with PIN blocks and MACs (crypto library), exchanges them over
 * the host link, checks response MACs.  Not the daemon's transaction
 * engine: just enough of a terminal to drive the host.
 */
#ifndef PAYCARD_HOSTSIM_TEST_TERMINAL_H
#define PAYCARD_HOSTSIM_TEST_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hostlink/hostlink.h"
#include "iso8583/iso8583.h"

struct terminal {
	struct hostlink *link;
	char tid[9], mid[16];
	uint8_t tmk[16];
	uint8_t pik[16], mak[16], tdk[16];
	size_t key_len;		/* PIK/TDK */
	char batch[7];
	unsigned stan;
	struct iso_envelope env;
	/* last exchange */
	uint8_t raw[4096];
	size_t raw_len;
};

struct link_options {
	const char *port;
	bool tls;
	const char *certs;	/* directory of gen-test-certs.sh */
	int io_timeout_ms;
};

int terminal_open(struct terminal *t, const struct link_options *o);
void terminal_close(struct terminal *t);

/* Next STAN as 6 digits. */
const char *terminal_next_stan(struct terminal *t, char stan[7]);

/* Request skeleton: MTI, 3, 4 (when @amount >= 0), 11, 25, 41, 42, 49,
 * 60 = type + batch (+ netcode). */
void terminal_request(struct terminal *t, struct iso_msg *m, const char *mti,
		      const char *proc, long long amount, const char *type,
		      const char *netcode);
/* Card data: PAN in 2, entry mode 22 (021 with PIN, 022 without), and
 * the ISO 0 PIN block under the PIK in 52 when @pin is given. */
void terminal_card(struct terminal *t, struct iso_msg *m, const char *pan,
		   const char *pin);

/*
 * Encode (with MAC when @mac), send, receive, decode.  Returns the link
 * error, or HL_OK with @resp filled (decode failure: -1).
 */
int terminal_exchange(struct terminal *t, struct iso_msg *req, bool mac,
		      struct iso_msg *resp);
/* Receive one more frame (duplicate answers). */
int terminal_receive(struct terminal *t, struct iso_msg *resp, int timeout_ms);
bool terminal_response_mac_ok(struct terminal *t, const struct iso_msg *resp);

/* Sign in with 60.3 = @netcode, decrypting and checking the keys. */
int terminal_sign_in(struct terminal *t, const char *netcode);

#endif
