// SPDX-License-Identifier: MIT
/* paycard-tool kcv: key check values. */
#include <stdlib.h>
#include <string.h>
#include "crypto/cipher.h"
#include "crypto/kcv.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"


static const char *const method_names[] = {
	[PCC_KCV_CLASSIC] = "classic", [PCC_KCV_CMAC] = "cmac",
	[PCC_KCV_CUP] = "cup",
};

/* Without --alg: 8, 16 and 24-byte keys are TDES, 32-byte keys AES. */
static enum pcc_alg default_alg(size_t key_len)
{
	return key_len == 32 ? PCC_ALG_AES : PCC_ALG_TDES;
}

int tool_kcv(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "key", true, NULL }, { "method", true, NULL },
		{ "alg", true, NULL }, { "length", true, NULL },
	};
	const char *alg_text, *method_text, *length_text;
	uint8_t key[PCC_MAX_KEY], kcv[PCC_MAX_BLOCK];
	int method = PCC_KCV_CLASSIC;
	enum pcc_alg alg;
	size_t key_len, kcv_len;
	enum pcc_status st;

	if (!args_parse("kcv", argc, argv, 1, opts, ARRAY_LEN(opts)))
		return 2;
	if (!args_hex("kcv", "key", args_get(opts, ARRAY_LEN(opts), "key"), key,
		      sizeof(key), &key_len))
		return 1;
	method_text = args_get(opts, ARRAY_LEN(opts), "method");
	/* "legacy": the name AES users know the classic method by */
	if (method_text && !strcmp(method_text, "legacy"))
		method_text = "classic";
	if (method_text && !args_choice("kcv", "method", method_text,
					method_names, ARRAY_LEN(method_names),
					&method))
		return 1;
	alg = default_alg(key_len);
	alg_text = args_get(opts, ARRAY_LEN(opts), "alg");
	if (alg_text && !args_alg("kcv", "alg", alg_text, &alg))
		return 1;
	kcv_len = method == PCC_KCV_CUP ? PCC_KCV_CUP_LEN : 3;
	length_text = args_get(opts, ARRAY_LEN(opts), "length");
	if (length_text) {
		char *end;
		long n = strtol(length_text, &end, 10);

		if (*end || n < 1 || n > PCC_MAX_BLOCK)
			return tool_bad_input("kcv", "--length",
					      "not a number from 1 to 16");
		kcv_len = (size_t)n;
	}
	st = pcc_kcv((enum pcc_kcv_method)method, alg, key,
		     key_len, kcv, kcv_len);
	pcc_wipe(key, sizeof(key));
	if (st != PCC_OK)
		return tool_fail("kcv", "--key", st);
	out_begin();
	out_value("kcv", kcv, kcv_len);
	if (tool_json) {
		out_text("method", method == PCC_KCV_CLASSIC && alg ==
			 PCC_ALG_AES ? "legacy" : pcc_kcv_method_name(
				 (enum pcc_kcv_method)method));
		out_text("alg", pcc_alg_name(alg));
	}
	out_end();
	return 0;
}
