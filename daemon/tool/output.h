/* SPDX-License-Identifier: MIT */
/*
 * paycard-tool output: plain text (hex values, "name: value" fields) or one
 * JSON object per run with --json; errors are one line on stderr (and a
 * JSON object on stdout with --json).
 */
#ifndef PAYCARD_TOOL_OUTPUT_H
#define PAYCARD_TOOL_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/error.h"

extern bool tool_json;

void out_begin(void);
void out_end(void);
/* The command's main result: bare hex in plain mode. */
void out_value(const char *name, const uint8_t *bytes, size_t len);
/* The main result as text (e.g. a TR-31 block): bare in plain mode. */
void out_value_text(const char *name, const char *text);
/* A further field: "name: HEX" in plain mode. */
void out_hex(const char *name, const uint8_t *bytes, size_t len);
/* A further text field: "name: text". */
void out_text(const char *name, const char *text);

/* Report a library failure about @what; returns exit status 1. */
int tool_fail(const char *cmd, const char *what, enum pcc_status st);
/* Report bad input in words; returns 1. */
int tool_bad_input(const char *cmd, const char *what, const char *why);
/* Report a usage error; returns 2. */
int tool_usage(const char *cmd, const char *why);

#endif
