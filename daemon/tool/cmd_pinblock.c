// SPDX-License-Identifier: MIT
/*
 * paycard-tool pinblock encode|decode: ISO 9564-1 formats 0-4, clear or
 * (with --key) encrypted.  The PIN is the user's own input or output here:
 * printing it is the point of the command.
 */
#include <string.h>
#include "crypto/pinblock.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"

static const char *const format_names[] = { "0", "1", "2", "3", "4" };

struct pin_args {
	enum pcc_pin_format format;
	const char *pan;
	uint8_t key[PCC_MAX_KEY];
	size_t key_len;		/* 0: clear block */
};

static bool common_args(const char *cmd, struct tool_option *opts, size_t n,
			struct pin_args *a)
{
	const char *key = args_get(opts, n, "key");
	int format;

	if (!args_choice(cmd, "format", args_get(opts, n, "format"),
			 format_names, ARRAY_LEN(format_names), &format))
		return false;
	a->format = (enum pcc_pin_format)format;
	a->pan = args_get(opts, n, "pan");
	a->key_len = 0;
	return !key || args_hex(cmd, "key", key, a->key, sizeof(a->key),
				&a->key_len);
}

static int encode(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "format", true, NULL }, { "pin", true, NULL },
		{ "pan", true, NULL }, { "key", true, NULL },
	};
	uint8_t block[PCC_PINBLOCK_MAX];
	const char *pin;
	struct pin_args a;
	enum pcc_status st;

	if (!args_parse("pinblock encode", argc, argv, 2, opts,
			ARRAY_LEN(opts)))
		return 2;
	if (!common_args("pinblock encode", opts, ARRAY_LEN(opts), &a))
		return 1;
	pin = args_get(opts, ARRAY_LEN(opts), "pin");
	if (!pin) {
		args_missing("pinblock encode", "pin");
		return 2;
	}
	if (a.key_len)
		st = pcc_pinblock_encrypt(a.format, a.key, a.key_len, pin,
					  a.pan, block);
	else
		st = pcc_pinblock_encode(a.format, pin, a.pan, block);
	pcc_wipe(a.key, sizeof(a.key));
	if (st != PCC_OK)
		return tool_fail("pinblock encode", NULL, st);
	out_begin();
	out_value("pinblock", block, pcc_pinblock_len(a.format));
	out_end();
	pcc_wipe(block, sizeof(block));
	return 0;
}

static int decode(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "format", true, NULL }, { "block", true, NULL },
		{ "pan", true, NULL }, { "key", true, NULL },
	};
	uint8_t block[PCC_PINBLOCK_MAX];
	char pin[PCC_PIN_MAX + 1];
	struct pin_args a;
	size_t len;
	enum pcc_status st;

	if (!args_parse("pinblock decode", argc, argv, 2, opts,
			ARRAY_LEN(opts)))
		return 2;
	if (!common_args("pinblock decode", opts, ARRAY_LEN(opts), &a) ||
	    !args_hex("pinblock decode", "block",
		      args_get(opts, ARRAY_LEN(opts), "block"), block,
		      sizeof(block), &len))
		return 1;
	if (a.key_len)
		st = pcc_pinblock_decrypt(a.format, a.key, a.key_len, block,
					  len, a.pan, pin);
	else
		st = pcc_pinblock_decode(a.format, block, len, a.pan, pin);
	pcc_wipe(a.key, sizeof(a.key));
	if (st != PCC_OK)
		return tool_fail("pinblock decode", NULL, st);
	out_begin();
	out_value_text("pin", pin);
	out_end();
	pcc_wipe(pin, sizeof(pin));
	return 0;
}

int tool_pinblock(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "encode"))
		return encode(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "decode"))
		return decode(argc, argv);
	return tool_usage("pinblock", "expected 'encode' or 'decode'");
}
