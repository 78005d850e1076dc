/* SPDX-License-Identifier: MIT */
/*
 * The terminal the EMV tests run the flow on: the EMV unit tests
 * (tests/unit/emv) and the host simulator's chip card (tests/hostsim/test).
 */
#ifndef PAYCARD_TEST_TERMINAL_CONFIG_H
#define PAYCARD_TEST_TERMINAL_CONFIG_H

#include "emv/terminal.h"

/* An online-only attended terminal (9F35 22) in China, default AIDs. */
void test_terminal_config(struct emv_terminal_config *c);

#endif
