/* SPDX-License-Identifier: MIT */
/*
 * The written message table (tests/conformance/unionpay-table.txt, see its
 * header for the format).  Requests are checked against it on their
 * decoded values, independently of the terminal's message builders.
 */
#ifndef PAYCARD_HOSTSIM_TABLE_H
#define PAYCARD_HOSTSIM_TABLE_H

#include <stddef.h>

#include "iso8583/iso8583.h"

struct hs_table;

enum hs_table_verdict {
	HS_TABLE_OK = 0,
	HS_TABLE_GAP,		/* only known gaps (G rules) missing */
	HS_TABLE_BROKEN,	/* a rule broken: refuse the request */
};

/* Load the table at @path; -1 (with a message on stderr) when it cannot
 * be read or a line is malformed. */
int hs_table_load(const char *path, struct hs_table **out);
void hs_table_free(struct hs_table *t);
/* Check @m; @why names the kind, the field and the rule (or the gaps). */
enum hs_table_verdict hs_table_check(const struct hs_table *t,
				     const struct iso_msg *m, char *why,
				     size_t size);

#endif
