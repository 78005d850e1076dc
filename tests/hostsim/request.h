/* SPDX-License-Identifier: MIT */
/* One request being answered by the simulator; shared by its handlers. */
#ifndef PAYCARD_HOSTSIM_REQUEST_H
#define PAYCARD_HOSTSIM_REQUEST_H

#include "hostsim.h"
#include "ledger.h"

struct hs_request {
	struct hs_host *host;
	struct hs_terminal *term;
	const struct iso_msg *req;
	struct iso_msg *resp;
	struct hs_card *card;		/* NULL when the PAN is unknown */
	char pan[20];
	char card_ref[65], pan_masked[20];
	long long amount;
	char stan[7], batch[7], type[3], netcode[4], date[5];
	char proc[7];
	struct hs_fault fault;
	bool mac_response;		/* answer carries a MAC (signed in) */
	bool arqc_verified;		/* chip request with a genuine ARQC */
};

/* Response codes the simulator produces on its own. */
#define RC_APPROVED		"00"
#define RC_INVALID_MERCHANT	"03"
#define RC_INVALID_TXN		"12"
#define RC_INVALID_AMOUNT	"13"
#define RC_INVALID_CARD		"14"
/* ISO 8583:1987 "suspected fraud" (UnionPay: 有作弊嫌疑): the ARQC is not
 * the card's, or the amount charged is not the one the card signed. */
#define RC_BAD_CRYPTOGRAM	"34"
#define RC_NO_ORIGINAL		"25"
#define RC_FORMAT_ERROR		"30"
#define RC_NOT_SUPPORTED	"40"
#define RC_NO_FUNDS		"51"
#define RC_WRONG_PIN		"55"
#define RC_AMOUNT_MISMATCH	"64"
#define RC_SIGN_IN_AGAIN	"77"
#define RC_DUPLICATE		"94"
#define RC_BATCH_MISMATCH	"95"
#define RC_SYSTEM_ERROR		"96"
#define RC_UNKNOWN_TERMINAL	"97"
#define RC_MAC_ERROR		"A0"

/* signin.c */
const char *hs_sign_in(struct hs_request *r);
const char *hs_sign_out(struct hs_request *r);

/* security.c */
bool hs_mac_ok(const struct hs_request *r, const uint8_t *frame, size_t len);
int hs_mac_callback(void *terminal, const uint8_t *data, size_t len,
		    uint8_t mac[8]);
/* RC_APPROVED when the PIN is right or not required. */
const char *hs_check_pin(const struct hs_request *r);

/* chip.c: the issuer's half of the EMV cryptograms (POS entry mode 05x) */
const char *hs_check_chip(struct hs_request *r);
void hs_chip_answer(struct hs_request *r, const char *rc);

/* financial.c */
const char *hs_sale(struct hs_request *r);
const char *hs_void(struct hs_request *r);
const char *hs_refund(struct hs_request *r);
const char *hs_balance(struct hs_request *r);
const char *hs_preauth(struct hs_request *r);
const char *hs_preauth_void(struct hs_request *r);
const char *hs_completion(struct hs_request *r);
const char *hs_reversal(struct hs_request *r);

/* settle.c */
const char *hs_settle(struct hs_request *r);
const char *hs_batch_upload(struct hs_request *r);

/* host.c: shared by handlers */
void hs_new_txn(const struct hs_request *r, const char *kind, struct hs_txn *t);
void hs_assign_rrn(struct hs_request *r, struct hs_txn *t);

#endif
