/* SPDX-License-Identifier: MIT */
/* Printing the engine's a{sv} answers: "key: value" lines, or one JSON
 * object with --json. */
#ifndef PAYCARDCTL_RESULT_H
#define PAYCARDCTL_RESULT_H

#include <stdio.h>
#include <systemd/sd-bus.h>

/* The next a{sv} of @m (positioned before it).  0 or a negative errno. */
int result_print(sd_bus_message *m, FILE *out);

/* One record of the journal (a{sv}) as key -> printable value, filled
 * by result_read; values live until the next call. */
#define RESULT_FIELDS_MAX	48
struct result_fields {
	size_t n;
	char key[RESULT_FIELDS_MAX][24];
	char value[RESULT_FIELDS_MAX][64];
};
int result_read(sd_bus_message *m, struct result_fields *f);
const char *result_get(const struct result_fields *f, const char *key);

/* Settle's answer as the merchant's settlement report. */
void settlement_report_print(const struct result_fields *f, FILE *out);

#endif
