/* SPDX-License-Identifier: MIT */
/*
 * paycard-tool option parsing: "--name value" pairs and "--flag" switches
 * checked against a per-command table, hex values decoded strictly.
 */
#ifndef PAYCARD_TOOL_ARGS_H
#define PAYCARD_TOOL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "crypto/cipher.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct tool_option {
	const char *name;	/* without "--" */
	bool takes_value;
	const char *value;	/* set by args_parse (or "" for a flag) */
};

/*
 * Fill @opts from argv[first..]; "--json" is accepted everywhere.  Returns
 * false (after a usage message) on an unknown option, a missing value or a
 * positional argument.
 */
bool args_parse(const char *cmd, int argc, char **argv, int first,
		struct tool_option *opts, size_t n_opts);

/* The value of option @name, NULL when absent. */
const char *args_get(const struct tool_option *opts, size_t n_opts,
		     const char *name);

/*
 * Decode the hex value of --@name into @out (at most @size bytes); on
 * odd length, a non-hex character or an oversize value print a one-line
 * error and return false.
 */
bool args_hex(const char *cmd, const char *name, const char *text,
	      uint8_t *out, size_t size, size_t *len);

/* Usage error "--@name is required". */
void args_missing(const char *cmd, const char *name);

/* Match @text against @choices (NULL entries skipped); @index gets the
 * position.  Prints a one-line error and returns false otherwise. */
bool args_choice(const char *cmd, const char *name, const char *text,
		 const char *const *choices, size_t n_choices, int *index);

/* --@name tdes|aes|sm4. */
bool args_alg(const char *cmd, const char *name, const char *text,
	      enum pcc_alg *alg);

#endif
