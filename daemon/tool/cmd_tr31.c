// SPDX-License-Identifier: MIT
/* paycard-tool tr31 unwrap|wrap: TR-31 key blocks. */
#include <stdio.h>
#include <string.h>
#include "crypto/kcv.h"
#include "crypto/tr31.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"

static void print_header(const char *block, const struct pcc_tr31_header *h)
{
	char c[2] = { 0 }, name[16], value[PCC_TR31_MAX_BLOCK + 1];

	c[0] = h->version;
	out_text("version", c);
	out_text("usage", h->usage);
	c[0] = h->algorithm;
	out_text("algorithm", c);
	c[0] = h->mode;
	out_text("mode", c);
	out_text("key_version", h->key_version);
	c[0] = h->exportability;
	out_text("exportability", c);
	for (unsigned i = 0; i < h->n_opt && i < PCC_TR31_MAX_OPT; i++) {
		snprintf(name, sizeof(name), "opt_%s", h->opt[i].id);
		snprintf(value, sizeof(value), "%.*s", (int)h->opt[i].len,
			 block + h->opt[i].offset);
		out_text(name, value);
	}
}

static int unwrap(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "kbpk", true, NULL }, { "block", true, NULL },
	};
	const char *cmd = "tr31 unwrap", *block;
	struct pcc_tr31_header hdr;
	uint8_t kbpk[32], key[PCC_TR31_MAX_KEY], kcv[3];
	size_t kbpk_len, key_len;
	enum pcc_status st;
	bool aes;

	if (!args_parse(cmd, argc, argv, 2, opts, ARRAY_LEN(opts)))
		return 2;
	if (!args_hex(cmd, "kbpk", args_get(opts, ARRAY_LEN(opts), "kbpk"),
		      kbpk, sizeof(kbpk), &kbpk_len))
		return 1;
	block = args_get(opts, ARRAY_LEN(opts), "block");
	if (!block) {
		args_missing(cmd, "block");
		return 2;
	}
	st = pcc_tr31_unwrap(kbpk, kbpk_len, block, strlen(block), &hdr, key,
			     &key_len);
	pcc_wipe(kbpk, sizeof(kbpk));
	if (st != PCC_OK)
		return tool_fail(cmd, "--block", st);
	/* KCV by the algorithm's convention: CMAC for AES, classic else */
	aes = hdr.algorithm == 'A';
	if (pcc_kcv(aes ? PCC_KCV_CMAC : PCC_KCV_CLASSIC,
		    aes ? PCC_ALG_AES : PCC_ALG_TDES, key, key_len, kcv, 3))
		memset(kcv, 0, sizeof(kcv));
	out_begin();
	out_hex("key", key, key_len);
	out_hex("kcv", kcv, 3);
	print_header(block, &hdr);
	out_end();
	pcc_wipe(key, sizeof(key));
	return 0;
}

/* A one-character option, e.g. --algorithm T. */
static bool one_char(const char *cmd, const char *name, const char *text,
		     char *out)
{
	char what[32];

	if (!text) {
		args_missing(cmd, name);
		return false;
	}
	if (strlen(text) != 1) {
		snprintf(what, sizeof(what), "--%s", name);
		tool_bad_input(cmd, what, "must be one character");
		return false;
	}
	*out = text[0];
	return true;
}

static int wrap(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "kbpk", true, NULL }, { "key", true, NULL },
		{ "version", true, NULL }, { "usage", true, NULL },
		{ "algorithm", true, NULL }, { "mode", true, NULL },
		{ "key-version", true, NULL }, { "exportability", true, NULL },
	};
	const size_t n = ARRAY_LEN(opts);
	const char *cmd = "tr31 wrap", *usage, *kv, *exp;
	struct pcc_tr31_attrs attrs = { .exportability = 'E' };
	uint8_t kbpk[32], key[PCC_TR31_MAX_KEY];
	size_t kbpk_len, key_len;
	char out[256];
	enum pcc_status st;

	if (!args_parse(cmd, argc, argv, 2, opts, n))
		return 2;
	usage = args_get(opts, n, "usage");
	kv = args_get(opts, n, "key-version");
	exp = args_get(opts, n, "exportability");
	if (!args_hex(cmd, "kbpk", args_get(opts, n, "kbpk"), kbpk,
		      sizeof(kbpk), &kbpk_len) ||
	    !args_hex(cmd, "key", args_get(opts, n, "key"), key, sizeof(key),
		      &key_len) ||
	    !one_char(cmd, "version", args_get(opts, n, "version"),
		      &attrs.version) ||
	    !one_char(cmd, "algorithm", args_get(opts, n, "algorithm"),
		      &attrs.algorithm) ||
	    !one_char(cmd, "mode", args_get(opts, n, "mode"), &attrs.mode) ||
	    (exp && !one_char(cmd, "exportability", exp,
			      &attrs.exportability)))
		return 1;
	if (!usage || strlen(usage) != 2)
		return tool_bad_input(cmd, "--usage", "must be two characters");
	memcpy(attrs.usage, usage, 3);
	if (kv && strlen(kv) != 2)
		return tool_bad_input(cmd, "--key-version",
				      "must be two characters");
	if (kv)
		memcpy(attrs.key_version, kv, 3);
	st = pcc_tr31_wrap(kbpk, kbpk_len, &attrs, key, key_len, out,
			   sizeof(out));
	pcc_wipe(kbpk, sizeof(kbpk));
	pcc_wipe(key, sizeof(key));
	if (st != PCC_OK)
		return tool_fail(cmd, NULL, st);
	out_begin();
	out_value_text("block", out);
	out_end();
	return 0;
}

int tool_tr31(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "unwrap"))
		return unwrap(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "wrap"))
		return wrap(argc, argv);
	return tool_usage("tr31", "expected 'unwrap' or 'wrap'");
}
