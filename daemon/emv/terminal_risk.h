/* SPDX-License-Identifier: MIT */
/*
 * Terminal risk management (EMV 4.3 Book 3 10.6): the exception file,
 * the floor limit with the transaction log (split sales), random
 * transaction selection and velocity checking against the card's
 * consecutive offline limits.  Sets TVR bytes 1, 2 and 4 and the TSI bit.
 *
 * The terminal's own data (its journal, its exception file, its random
 * numbers) comes in through struct emv_risk_input; the card's ATC and last
 * online ATC register are read with GET DATA.
 */
#ifndef PAYCARD_EMV_TERMINAL_RISK_H
#define PAYCARD_EMV_TERMINAL_RISK_H

#include <stdbool.h>
#include <stdint.h>
#include "emv/apdu.h"
#include "emv/card.h"
#include "emv/data.h"

/* Random transaction selection parameters (Book 3 10.6.2), per AID. */
struct emv_random_selection {
	uint64_t threshold;		/* minor units */
	uint8_t target_percent;		/* 0..99 */
	uint8_t max_target_percent;	/* target_percent..99 */
};

struct emv_risk_config {
	uint64_t floor_limit;		/* 9F1B, minor units */
	struct emv_random_selection random;
};

/* What the terminal knows about this transaction and this card. */
struct emv_risk_input {
	uint64_t amount;		/* Amount, Authorised, minor units */
	/* the most recent journal entry with the same PAN (Book 3 10.6.1,
	 * split sales): its amount, or 0 when the journal has none */
	uint64_t logged_amount;
	bool on_exception_file;		/* the PAN is on the exception file */
	uint8_t random_number;		/* uniform 1..99 from the caller's RNG */
};

/*
 * Run the checks: the exception file always; floor limit, random
 * selection and velocity checking when the AIP asks for terminal risk
 * management (AIP byte 1 b4), then the TSI bit "terminal risk management
 * was performed".  Card errors during GET DATA count as "data not
 * available" (10.6.3); only transport failures are returned.
 */
enum emv_status emv_terminal_risk_management(const struct emv_transport *t,
					     const struct emv_risk_config *cfg,
					     const struct emv_risk_input *in,
					     const struct emv_card_info *card,
					     const struct emv_data *icc,
					     uint8_t tvr[5], uint8_t tsi[2]);

/* Transaction Target Percent for an amount between threshold and floor
 * limit (10.6.2's interpolation); exposed for the tests. */
unsigned int emv_random_target_percent(const struct emv_random_selection *r,
				       uint64_t floor_limit, uint64_t amount);

#endif
