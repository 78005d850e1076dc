// SPDX-License-Identifier: MIT
/*
 * Terminal risk management (EMV 4.3 Book 3 10.6).
 *
 * The velocity and floor-limit scenarios are the ones of an EMV library
 * nobody here wrote: openemv/emv-utils, tests/emv_terminal_risk_management_test.c
 * (floor limit 100.00, amount 50.00, LCOL 18, UCOL 52, the same card
 * answers and the TVR/TSI that library expects).  The random selection
 * values are worked by hand from 10.6.2's formula, shown beside each case.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/hex.h"
#include "emv/risk.h"
#include "emv/terminal_risk.h"
#include "script_transport.h"

#define GET_ATC		"80CA9F3600"
#define GET_LAST_ONLINE	"80CA9F1300"
#define NOT_SUPPORTED	"6A81"

struct world {
	struct emv_risk_config cfg;
	struct emv_risk_input in;
	struct emv_card_info card;
	struct emv_data icc;
	uint8_t tvr[5], tsi[2];
};

/* emv-utils' card: LCOL 18 (9F14 = 12), UCOL 52 (9F23 = 34), AIP asking
 * for terminal risk management; the terminal's floor limit 100.00. */
static void world_init(struct world *w, bool velocity)
{
	memset(w, 0, sizeof(*w));
	w->cfg.floor_limit = 10000;
	w->in.amount = 5000;
	w->card.aip[0] = 0x08;
	emv_data_init(&w->icc);
	if (velocity) {
		assert_int_equal(emv_data_set(&w->icc, 0x9f14, (const uint8_t *)"\x12", 1), EMV_OK);
		assert_int_equal(emv_data_set(&w->icc, 0x9f23, (const uint8_t *)"\x34", 1), EMV_OK);
	}
}

static void run(struct world *w, const struct script_step *steps, size_t n)
{
	struct script_transport s;

	script_init(&s, steps, n);
	assert_int_equal(emv_terminal_risk_management(&s.t, &w->cfg, &w->in,
						      &w->card, &w->icc,
						      w->tvr, w->tsi), EMV_OK);
	assert_int_equal(s.pos, s.n);	/* every expected GET DATA was sent */
}

static void expect(const struct world *w, const char *tvr_hex, uint8_t tsi1)
{
	uint8_t want[5];

	assert_int_equal(hex_decode(tvr_hex, 10, want, sizeof(want)), 5);
	assert_memory_equal(w->tvr, want, 5);
	assert_int_equal(w->tsi[0], tsi1);
	assert_int_equal(w->tsi[1], 0);
}

#define RUN(w, steps) run(w, steps, sizeof(steps) / sizeof(steps[0]))

static void velocity_case(const char *atc, const char *last, const char *tvr)
{
	const struct script_step steps[] = {
		{ GET_ATC, atc, 0 }, { GET_LAST_ONLINE, last, 0 },
	};
	struct world w;

	world_init(&w, true);
	RUN(&w, steps);
	expect(&w, tvr, EMV_TSI_TERMINAL_RISK_MGMT);
}

/* "No risk found": ATC 1234, last online 1233; the log's most recent
 * entry for this PAN is 46.60: 96.60 < 100.00. */
static void test_no_risk(void **state)
{
	const struct script_step steps[] = {
		{ GET_ATC, "9F360204D29000", 0 },
		{ GET_LAST_ONLINE, "9F130204D19000", 0 },
	};
	struct world w;

	world_init(&w, true);
	w.in.logged_amount = 4660;
	RUN(&w, steps);
	expect(&w, "0000000000", EMV_TSI_TERMINAL_RISK_MGMT);
}

/* 150.00 alone; and 50.00 + the log's 393.21: both reach the limit. */
static void test_floor_limit(void **state)
{
	struct world w;

	world_init(&w, false);
	w.in.amount = 15000;
	run(&w, NULL, 0);
	expect(&w, "0000008000", EMV_TSI_TERMINAL_RISK_MGMT);

	world_init(&w, false);
	w.in.logged_amount = 39321;
	run(&w, NULL, 0);
	expect(&w, "0000008000", EMV_TSI_TERMINAL_RISK_MGMT);

	/* "exceeds or equals" (10.6.1): exactly the limit is over it */
	world_init(&w, false);
	w.in.amount = 10000;
	run(&w, NULL, 0);
	expect(&w, "0000008000", EMV_TSI_TERMINAL_RISK_MGMT);

	world_init(&w, false);
	w.in.amount = 9999;
	run(&w, NULL, 0);
	expect(&w, "0000000000", EMV_TSI_TERMINAL_RISK_MGMT);
}

/* An online-only terminal's floor limit of zero sends everything online. */
static void test_zero_floor_limit(void **state)
{
	struct world w;

	world_init(&w, false);
	w.cfg.floor_limit = 0;
	w.in.amount = 1;
	run(&w, NULL, 0);
	expect(&w, "0000008000", EMV_TSI_TERMINAL_RISK_MGMT);
}

static void test_velocity(void **state)
{
	/* both counters refused: both limits count as exceeded */
	velocity_case(NOT_SUPPORTED, NOT_SUPPORTED, "0000006000");
	/* 1234 - 1216 = 18 = LCOL: not exceeded */
	velocity_case("9F360204D29000", "9F130204C09000", "0000000000");
	/* 1234 - 1215 = 19 > 18 */
	velocity_case("9F360204D29000", "9F130204BF9000", "0000004000");
	/* 1234 - 1182 = 52 = UCOL: only the lower one */
	velocity_case("9F360204D29000", "9F1302049E9000", "0000004000");
	/* 1234 - 1181 = 53 > 52 */
	velocity_case("9F360204D29000", "9F1302049D9000", "0000006000");
	/* last online ATC 0: a new card (ATC 5, within both limits) */
	velocity_case("9F360200059000", "9F130200009000", "0008000000");
	/* new card, ATC refused: new card and both limits */
	velocity_case(NOT_SUPPORTED, "9F130200009000", "0008006000");
}

/* GET DATA answering 9000 with the wrong object is "not returned". */
static void test_velocity_wrong_object(void **state)
{
	velocity_case("9F130204D29000", "9F130204D19000", "0000006000");
	velocity_case("9F36010D9000", "9F130204D19000", "0000006000");
}

/* Without AIP b4 only the exception file is checked; no GET DATA, no TSI. */
static void test_not_requested_by_card(void **state)
{
	struct world w;

	world_init(&w, true);
	w.card.aip[0] = 0x14;
	w.in.amount = 15000;
	w.in.on_exception_file = true;
	run(&w, NULL, 0);
	expect(&w, "1000000000", 0);
}

static void test_exception_file(void **state)
{
	struct world w;

	world_init(&w, false);
	w.in.on_exception_file = true;
	run(&w, NULL, 0);
	expect(&w, "1000000000", EMV_TSI_TERMINAL_RISK_MGMT);
}

/*
 * 10.6.2 with threshold 20.00, target 25 %, maximum 75 %, floor limit
 * 100.00.  Below the threshold the target applies: 10.00 is selected for
 * random numbers 1..25.  Between threshold and limit the percent is
 * 25 + (75 - 25) * (60.00 - 20.00) / (100.00 - 20.00) = 50.
 */
static void test_random_selection(void **state)
{
	static const struct { uint64_t amount; uint8_t rn; bool selected; } c[] = {
		{ 1000, 25, true }, { 1000, 26, false }, { 1000, 1, true },
		{ 6000, 50, true }, { 6000, 51, false },
		{ 2000, 25, true }, { 2000, 26, false },	/* at threshold */
		{ 9999, 74, true }, { 9999, 75, false },	/* 25 + 50*7999/8000 = 74 */
		{ 10000, 1, false },	/* at the limit: floor limit bit instead */
	};
	struct emv_random_selection r = { 2000, 25, 75 };

	assert_int_equal(emv_random_target_percent(&r, 10000, 1000), 25);
	assert_int_equal(emv_random_target_percent(&r, 10000, 6000), 50);
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct world w;

		world_init(&w, false);
		w.cfg.random = r;
		w.in.amount = c[i].amount;
		w.in.random_number = c[i].rn;
		run(&w, NULL, 0);
		assert_int_equal(emv_tvr_test(w.tvr, EMV_TVR_RANDOMLY_SELECTED),
				 c[i].selected);
	}
}

/* No parameters configured: a target of 0 % never selects. */
static void test_random_selection_off(void **state)
{
	struct world w;

	world_init(&w, false);
	w.in.random_number = 1;
	run(&w, NULL, 0);
	expect(&w, "0000000000", EMV_TSI_TERMINAL_RISK_MGMT);
}

/* A card pulled out during GET DATA ends the transaction. */
static void test_card_removed(void **state)
{
	const struct script_step steps[] = {
		{ GET_ATC, NULL, -ENOMEDIUM },
	};
	struct script_transport s;
	struct world w;

	world_init(&w, true);
	SCRIPT_INIT(&s, steps);
	assert_int_equal(emv_terminal_risk_management(&s.t, &w.cfg, &w.in,
						      &w.card, &w.icc, w.tvr,
						      w.tsi), EMV_E_CARD_REMOVED);
	assert_int_equal(w.tsi[0], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_risk),
		cmocka_unit_test(test_floor_limit),
		cmocka_unit_test(test_zero_floor_limit),
		cmocka_unit_test(test_velocity),
		cmocka_unit_test(test_velocity_wrong_object),
		cmocka_unit_test(test_not_requested_by_card),
		cmocka_unit_test(test_exception_file),
		cmocka_unit_test(test_random_selection),
		cmocka_unit_test(test_random_selection_off),
		cmocka_unit_test(test_card_removed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
