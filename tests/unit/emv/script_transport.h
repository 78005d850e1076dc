/* SPDX-License-Identifier: MIT */
/*
 * A scripted APDU transport for the unit tests: each step names the
 * C-APDU it expects (hex prefix) and the R-APDU to give back (hex), or a
 * transport error.  An unexpected command fails the test.
 */
#ifndef PAYCARD_TEST_SCRIPT_TRANSPORT_H
#define PAYCARD_TEST_SCRIPT_TRANSPORT_H

#include <stddef.h>
#include "emv/apdu.h"

struct script_step {
	const char *expect;	/* hex prefix of the C-APDU */
	const char *answer;	/* hex R-APDU, NULL = return .error */
	int error;		/* negative errno */
};

struct script_transport {
	const struct script_step *steps;
	size_t n, pos;
	struct emv_transport t;
};

void script_init(struct script_transport *s, const struct script_step *steps,
		 size_t n);

#define SCRIPT_INIT(s, steps) \
	script_init(s, steps, sizeof(steps) / sizeof(steps[0]))

#endif
