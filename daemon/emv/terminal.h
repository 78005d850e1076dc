/* SPDX-License-Identifier: MIT */
/*
 * The EMV contact flow of an online-only POS terminal, step by step, for
 * the transaction engine to drive between its own steps (PIN entry, host
 * exchange):
 *
 *   emv_session_read_card()   selection, GPO, records, data extraction,
 *                             offline data authentication (SDA, DDA),
 *                             processing restrictions, CVM decision
 *   emv_session_pin_entered() after the online PIN was captured
 *   emv_session_first_ac()    terminal risk management, terminal action
 *                             analysis + GENERATE AC 1
 *   emv_session_field55()     field 55 for the request
 *   emv_session_complete()    host answer: issuer authentication, scripts
 *                             71, GENERATE AC 2, scripts 72
 *   emv_session_end()         wipe card data
 *
 * Any step may return EMV_E_CARD_REMOVED (card pulled out): the engine
 * then reverses an authorised transaction.
 */
#ifndef PAYCARD_EMV_TERMINAL_H
#define PAYCARD_EMV_TERMINAL_H

#include <stdbool.h>
#include <stdint.h>
#include "emv/apdu.h"
#include "emv/card.h"
#include "emv/cvm.h"
#include "emv/data.h"
#include "emv/field55.h"
#include "emv/genac.h"
#include "emv/oda.h"
#include "emv/params.h"
#include "emv/risk.h"
#include "emv/script.h"
#include "emv/select.h"
#include "emv/terminal_risk.h"

struct emv_terminal_config {
	const struct emv_aid *aids;
	size_t n_aids;
	bool cardholder_confirmation;
	uint8_t country[2];		/* 9F1A, BCD (0156 China) */
	uint8_t currency[2];		/* 5F2A, BCD (0156 CNY) */
	uint8_t capabilities[3];	/* 9F33 */
	uint8_t add_capabilities[5];	/* 9F40 */
	uint8_t terminal_type;		/* 9F35, e.g. 0x22 attended online only */
	uint8_t app_version[2];		/* 9F09 */
	uint8_t ttq[4];			/* 9F66 */
	char ifd_serial[8];		/* 9F1E */
	struct emv_tac tac;
	struct emv_risk_config risk;	/* floor limit, random selection */
	/* fills the journal's latest amount for this card and whether it is
	 * on the exception file (NULL: neither) */
	void (*risk_lookup)(void *ctx, const struct emv_card_info *card,
			    struct emv_risk_input *in);
	void *risk_ctx;
	/* offline data authentication: the CA keys and revocation list the
	 * acquirer loaded (NULL lookup: no keys, SDA/DDA then fail), and
	 * the default DDOL for cards without 9F49 (Book 3 10.3) */
	const struct emv_capk *(*capk_lookup)(void *ctx, const uint8_t rid[5],
					      uint8_t index);
	bool (*capk_revoked)(void *ctx, const uint8_t rid[5], uint8_t index,
			     const uint8_t serial[3]);
	void *capk_ctx;
	const uint8_t *default_ddol;
	size_t default_ddol_len;
	/* the acquirer's per-application parameters (IC parameter
	 * download); the selected application's TACs, floor limit, random
	 * selection, default DDOL and version override the values above */
	const struct emv_aid_params *aid_params;
	size_t n_aid_params;
};

struct emv_txn_params {
	uint64_t amount;		/* minor units, <= 999999999999 */
	uint64_t amount_other;
	uint8_t type;			/* 9C: 00 goods, 31 balance ... */
	uint8_t date[3];		/* 9A, BCD YYMMDD */
	uint8_t time[3];		/* 9F21, BCD HHMMSS */
	uint8_t unpredictable[4];	/* 9F37, from a strong RNG */
	uint32_t sequence;		/* 9F41, 0..99999999 */
	uint8_t random_number;		/* 1..99 from a strong RNG, for
					 * random transaction selection;
					 * 0 never selects */
};

enum emv_session_state {
	EMV_STATE_IDLE,
	EMV_STATE_CARD_READ,
	EMV_STATE_FIRST_AC,
	EMV_STATE_DONE,
};

struct emv_session {
	const struct emv_transport *transport;
	const struct emv_terminal_config *config;
	enum emv_session_state state;
	struct emv_data terminal;	/* terminal data (9F02, 95, ...) */
	struct emv_data icc;		/* card data */
	struct emv_card_info card;
	struct emv_static_data static_data;	/* records signed for ODA */
	struct emv_oda_result oda;
	struct emv_dol_trail trail;	/* PDOL and CDOL data sent, for CDA */
	const struct emv_aid_params *app;	/* the selected AID's, or NULL */
	struct emv_candidate_list candidates;
	enum emv_cvm cvm;
	bool offline_pin_failed;	/* the offline PIN rule was used up */
	uint64_t amount;		/* the transaction's, for the CVM list */
	uint8_t txn_type;		/* 9C */
	uint8_t random_number;		/* emv_txn_params.random_number */
	uint8_t tvr[5], tsi[2], cvm_results[3];
	struct emv_ac_result first_ac, second_ac;
	struct emv_script_results scripts;
	uint16_t last_sw;		/* of the failing command, for logs */
};

struct emv_host_reply {
	bool online;		/* false: host unreachable (8A = "Z3") */
	char arc[2];		/* 8A authorisation response code ("00") */
	const uint8_t *issuer_auth;	/* 91, NULL when absent */
	size_t issuer_auth_len;
	const uint8_t *scripts;		/* TLV list holding 71/72 */
	size_t scripts_len;
};

void emv_session_init(struct emv_session *s, const struct emv_transport *t,
		      const struct emv_terminal_config *config);

/* EMV_E_NO_APPLICATION when every candidate failed; card errors typed. */
enum emv_status emv_session_read_card(struct emv_session *s,
				      const struct emv_txn_params *txn);

/* The online PIN was captured: TVR "online PIN entered". */
void emv_session_pin_entered(struct emv_session *s);

/* The cardholder bypassed the online PIN (Book 3 10.5.2): TVR "PIN entry
 * required, PIN pad present, but PIN was not entered", the rule counted
 * unsuccessful and the CVM list walked on: s->cvm becomes the next
 * applicable rule's method, or EMV_CVM_FAILED (TVR "cardholder
 * verification was not successful").  EMV_E_STATE unless the card was
 * read and online PIN was the CVM. */
enum emv_status emv_session_pin_bypassed(struct emv_session *s);
/* Would a bypass leave a CVM that can succeed (the card's list has an
 * applicable rule after the PIN's, which says to go on)?  Changes nothing. */
bool emv_session_pin_bypass_allowed(const struct emv_session *s);

/*
 * Offline plaintext PIN (s->cvm == EMV_CVM_OFFLINE_PIN, Book 3 10.5.1).
 * Before the prompt, emv_session_offline_pin_tries() reads the card's PIN
 * try counter (9F17; *@tries -1 when the card keeps it); at 0 the rule
 * fails at once with TVR "PIN try limit exceeded" and s->cvm becomes the
 * next rule's method (or EMV_CVM_FAILED).
 *
 * emv_session_offline_pin_result() takes the card's answer to VERIFY,
 * which a secure PIN pad sends itself: 9000 verified; 63Cx (x > 0) is
 * EMV_E_SW_AUTH_FAILED with *@tries_left = x, to ask again; 63C0, 6983,
 * 6984 use up the tries as above; any other answer fails the rule.
 * emv_session_verify_plain_pin() builds the VERIFY itself for a reader
 * that hands the digits over (the insecure mode of the reader protocol).
 */
enum emv_status emv_session_offline_pin_tries(struct emv_session *s,
					      int *tries);
enum emv_status emv_session_offline_pin_result(struct emv_session *s,
					       uint16_t sw, int *tries_left);
enum emv_status emv_session_verify_plain_pin(struct emv_session *s,
					     const char *digits,
					     int *tries_left);

/* Result in s->first_ac; *@type is what the card returned. */
enum emv_status emv_session_first_ac(struct emv_session *s,
				     enum emv_ac_type *type);

enum emv_status emv_session_field55(const struct emv_session *s,
				    const struct emv_field55_list *list,
				    uint8_t *out, size_t size, size_t *len);

/* *@type: TC (approved by card) or AAC (declined). */
enum emv_status emv_session_complete(struct emv_session *s,
				     const struct emv_host_reply *reply,
				     enum emv_ac_type *type);

/* Wipe the card data, PAN and all; the session can be reused. */
void emv_session_end(struct emv_session *s);

#endif
