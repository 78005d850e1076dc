// SPDX-License-Identifier: MIT
/* paycard-tool encrypt / decrypt: raw ECB or CBC (with --iv), no padding. */
#include <stdbool.h>
#include "crypto/cipher.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"

#define DATA_MAX 4096


static int run(int argc, char **argv, bool encrypt)
{
	const char *cmd = encrypt ? "encrypt" : "decrypt";
	struct tool_option opts[] = {
		{ "alg", true, NULL }, { "key", true, NULL },
		{ "data", true, NULL }, { "iv", true, NULL },
	};
	static uint8_t data[DATA_MAX], out[DATA_MAX];
	uint8_t key[PCC_MAX_KEY], iv[PCC_MAX_BLOCK];
	size_t key_len, data_len, iv_len = 0;
	const char *iv_text;
	enum pcc_status st;
	enum pcc_alg alg;

	if (!args_parse(cmd, argc, argv, 1, opts, ARRAY_LEN(opts)))
		return 2;
	if (!args_alg(cmd, "alg", args_get(opts, ARRAY_LEN(opts), "alg"),
		      &alg) ||
	    !args_hex(cmd, "key", args_get(opts, ARRAY_LEN(opts), "key"), key,
		      sizeof(key), &key_len) ||
	    !args_hex(cmd, "data", args_get(opts, ARRAY_LEN(opts), "data"), data,
		      sizeof(data), &data_len))
		return 1;
	iv_text = args_get(opts, ARRAY_LEN(opts), "iv");
	if (iv_text && !args_hex(cmd, "iv", iv_text, iv, sizeof(iv), &iv_len))
		return 1;
	if (iv_text && iv_len != pcc_block_size(alg))
		return tool_bad_input(cmd, "--iv", "must be one block long");
	if (!pcc_key_length_ok(alg, key_len))
		return tool_fail(cmd, "--key", PCC_E_KEY_LENGTH);
	if (!data_len || data_len % pcc_block_size(alg))
		return tool_fail(cmd, "--data", PCC_E_DATA_LENGTH);
	if (iv_text)
		st = (encrypt ? pcc_cbc_encrypt : pcc_cbc_decrypt)(
			alg, key, key_len, iv, data, out,
			data_len);
	else
		st = (encrypt ? pcc_ecb_encrypt : pcc_ecb_decrypt)(
			alg, key, key_len, data, out, data_len);
	pcc_wipe(key, sizeof(key));
	if (st != PCC_OK)
		return tool_fail(cmd, NULL, st);
	out_begin();
	out_value("data", out, data_len);
	out_end();
	return 0;
}

int tool_encrypt(int argc, char **argv)
{
	return run(argc, argv, true);
}

int tool_decrypt(int argc, char **argv)
{
	return run(argc, argv, false);
}
