// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>
#include "common/hex.h"
#include "tool/args.h"
#include "tool/output.h"

static struct tool_option *find(struct tool_option *opts, size_t n,
				const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(opts[i].name, name))
			return &opts[i];
	return NULL;
}

bool args_parse(const char *cmd, int argc, char **argv, int first,
		struct tool_option *opts, size_t n_opts)
{
	char msg[160];

	for (int i = first; i < argc; i++) {
		struct tool_option *o;

		if (!strcmp(argv[i], "--json")) {
			tool_json = true;
			continue;
		}
		o = strncmp(argv[i], "--", 2) ? NULL :
		    find(opts, n_opts, argv[i] + 2);
		if (!o) {
			snprintf(msg, sizeof(msg), "unexpected argument '%.40s'",
				 argv[i]);
			tool_usage(cmd, msg);
			return false;
		}
		if (!o->takes_value) {
			o->value = "";
			continue;
		}
		if (i + 1 >= argc) {
			snprintf(msg, sizeof(msg), "--%s needs a value", o->name);
			tool_usage(cmd, msg);
			return false;
		}
		o->value = argv[++i];
	}
	return true;
}

const char *args_get(const struct tool_option *opts, size_t n_opts,
		     const char *name)
{
	for (size_t i = 0; i < n_opts; i++)
		if (!strcmp(opts[i].name, name))
			return opts[i].value;
	return NULL;
}

bool args_hex(const char *cmd, const char *name, const char *text,
	      uint8_t *out, size_t size, size_t *len)
{
	char what[40];
	long n;

	snprintf(what, sizeof(what), "--%s", name);
	if (!text) {
		args_missing(cmd, name);
		return false;
	}
	n = hex_decode(text, strlen(text), out, size);
	if (n == -1) {
		tool_bad_input(cmd, what, "odd length or non-hex character");
		return false;
	}
	if (n == -2) {
		tool_bad_input(cmd, what, "value too long");
		return false;
	}
	*len = (size_t)n;
	return true;
}

void args_missing(const char *cmd, const char *name)
{
	char msg[64];

	snprintf(msg, sizeof(msg), "--%s is required", name);
	tool_usage(cmd, msg);
}

bool args_choice(const char *cmd, const char *name, const char *text,
		 const char *const *choices, size_t n_choices, int *index)
{
	char what[40];

	if (!text) {
		args_missing(cmd, name);
		return false;
	}
	for (size_t i = 0; i < n_choices; i++)
		if (choices[i] && !strcmp(choices[i], text)) {
			*index = (int)i;
			return true;
		}
	snprintf(what, sizeof(what), "--%s", name);
	tool_bad_input(cmd, what, "not one of the accepted values");
	return false;
}

bool args_alg(const char *cmd, const char *name, const char *text,
	      enum pcc_alg *alg)
{
	static const char *const names[] = {
		[PCC_ALG_TDES] = "tdes", [PCC_ALG_AES] = "aes",
		[PCC_ALG_SM4] = "sm4",
	};
	int index;

	if (!args_choice(cmd, name, text, names, ARRAY_LEN(names), &index))
		return false;
	*alg = (enum pcc_alg)index;
	return true;
}
