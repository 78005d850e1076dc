/* SPDX-License-Identifier: MIT */
/*
 * A virtual EMV contact card for the reader emulator and the unit tests:
 * answers SELECT (PSE and AID), READ RECORD, GET PROCESSING OPTIONS,
 * GENERATE AC, EXTERNAL AUTHENTICATE and GET DATA from a profile, and
 * computes real cryptograms from the issuer master key:
 *
 *   ICC MK   = EMV option A from PAN and PSN (daemon/emv/cryptogram.h)
 *   SK_AC    = EMV common session key, R = ATC || 00 x 6
 *   ARQC/TC/AAC = ISO 9797-1 alg 3, padding method 2, under SK_AC over
 *              the CDOL data sent by the terminal || AIP || ATC.  With
 *              the profile's CDOL1 this is exactly Book 2's recommended
 *              minimum, rebuilt by emv_ac_input_from_tlv() from field 55,
 *              so the host simulator can verify the ARQC.
 *   ARPC     = method 1 under SK_AC; checked by EXTERNAL AUTHENTICATE or
 *              in CDOL2's 91; the second GENERATE AC gives a TC only when
 *              it verified and the host approved (8A = "00").
 *
 * The emulator calls vcard_transceive() for each C-APDU from the host
 * (it has the emv_transport transceive signature, so the unit tests plug
 * it straight into the terminal flow).
 */
#ifndef PAYCARD_EMU_VIRTUAL_CARD_H
#define PAYCARD_EMU_VIRTUAL_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VCARD_MAX_APPS		4
#define VCARD_MAX_RECORDS	4

struct vcard_app {
	uint8_t aid[16];
	size_t aid_len;
	char label[17];
	uint8_t priority;	/* 87, 0 = absent */
	bool blocked;		/* SELECT answers 6283 */
};

struct vcard_profile {
	char pan[20];		/* digits */
	int psn;		/* -1: no 5F34 */
	uint8_t expiry[3];	/* BCD YYMMDD */
	uint8_t effective[3];
	char name[27];
	struct vcard_app apps[VCARD_MAX_APPS];
	size_t n_apps;
	bool has_pse;
	uint8_t imk[16];	/* issuer master key (AC) */
	uint8_t pin_try_counter;
	uint8_t aip[2];
	uint16_t atc;		/* last used; incremented per first AC */
	bool t0_get_response;	/* answer data as 61xx + GET RESPONSE */
	bool issuer_auth_in_cdol2;	/* CDOL2 asks for 91 */
	bool no_cvm_list;	/* records without 8E */
	/* velocity checking: 9F14/9F23 in the records when ucol != 0, and
	 * GET DATA 9F13 answers last_online_atc */
	uint8_t lcol, ucol;
	uint16_t last_online_atc;
	/* after this many C-APDUs, act as removed (0 = never) */
	unsigned remove_after;
};

struct vcard {
	struct vcard_profile p;
	uint8_t icc_mk[16];
	uint8_t records[VCARD_MAX_RECORDS][256];
	size_t record_len[VCARD_MAX_RECORDS];
	size_t n_records;
	int selected;		/* app index, -1 none */
	bool gpo_done, first_ac_done, issuer_auth_ok, second_ac_done;
	uint8_t arqc[8];
	uint8_t pending[258];	/* for GET RESPONSE */
	size_t pending_len;
	unsigned commands;
};

/* A UnionPay debit card: PAN 6212345678901232 (Luhn valid), PSN 01,
 * expiry 2030-12-31, UnionPay debit + credit AIDs, PSE present. */
void vcard_profile_unionpay_debit(struct vcard_profile *p);

/*
 * Load a profile from a text file of "key value" lines ('#' comments):
 *
 *   pan 6212345678901232          psn 01 | none
 *   expiry 301231                 effective 200101     (BCD YYMMDD)
 *   name ZHANG/SAN                imk <32 hex digits>
 *   aip 1400                      atc 0010             (hex)
 *   pin-try-counter 3             pse yes | no
 *   app <AID hex> <priority 0-15> <label...>
 *   app-blocked <AID hex> <priority> <label...>
 *   t0 yes | no                   issuer-auth-in-cdol2 yes | no
 *   cvm-list yes | no             lcol 2   ucol 5      (decimal)
 *   last-online-atc 000c          (hex)
 *
 * Returns 0, or -1 with a message naming the line in @err.
 */
int vcard_profile_load(struct vcard_profile *p, const char *path, char *err,
		       size_t err_size);

/* Build the card's records and keys; -1 when the profile is unusable. */
int vcard_init(struct vcard *card, const struct vcard_profile *profile);

/*
 * Answer @capdu.  Returns 0 with the R-APDU (data + SW) in @rapdu, or
 * -ENOMEDIUM once the card counts as removed, -EMSGSIZE when @rapdu_size
 * is too small.
 */
int vcard_transceive(void *card, const uint8_t *capdu, size_t capdu_len,
		     uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len);

/* Erase keys and card data. */
void vcard_wipe(struct vcard *card);

#endif
