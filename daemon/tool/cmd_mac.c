// SPDX-License-Identifier: MIT
/* paycard-tool mac: compute (or --verify) a MAC over hex data. */
#include "crypto/mac.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"

#define DATA_MAX 8192

static const char *const mac_names[] = {
	[PCC_MAC_CUP_ECB] = "cup-ecb",
	[PCC_MAC_ISO9797_ALG1] = "iso9797-1-alg1",
	[PCC_MAC_ISO9797_ALG3] = "iso9797-1-alg3",
	[PCC_MAC_CMAC] = "cmac",
};
static const char *const padding_names[] = { NULL, "1", "2" };

/* Optional --cipher and --padding; TDES and method 1 by default. */
static bool parse_spec(struct tool_option *opts, size_t n,
		       struct pcc_mac_spec *spec)
{
	const char *cipher = args_get(opts, n, "cipher");
	const char *padding = args_get(opts, n, "padding");
	int alg, index = PCC_PAD_METHOD1;
	enum pcc_alg cipher_alg;

	if (!args_choice("mac", "alg", args_get(opts, n, "alg"), mac_names,
			 ARRAY_LEN(mac_names), &alg))
		return false;
	spec->alg = (enum pcc_mac_alg)alg;
	spec->cipher = PCC_ALG_TDES;
	if (cipher) {
		if (!args_alg("mac", "cipher", cipher, &cipher_alg))
			return false;
		spec->cipher = cipher_alg;
	}
	if (padding && !args_choice("mac", "padding", padding, padding_names,
				    ARRAY_LEN(padding_names), &index))
		return false;
	spec->padding = (enum pcc_mac_padding)index;
	return true;
}

int tool_mac(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "alg", true, NULL }, { "key", true, NULL },
		{ "data", true, NULL }, { "cipher", true, NULL },
		{ "padding", true, NULL }, { "verify", true, NULL },
	};
	static uint8_t data[DATA_MAX];
	uint8_t key[PCC_MAX_KEY], mac[PCC_MAX_BLOCK], expect[PCC_MAX_BLOCK];
	const char *verify;
	struct pcc_mac_spec spec;
	size_t key_len, data_len, mac_len, expect_len = 0;
	enum pcc_status st;

	if (!args_parse("mac", argc, argv, 1, opts, ARRAY_LEN(opts)))
		return 2;
	if (!parse_spec(opts, ARRAY_LEN(opts), &spec) ||
	    !args_hex("mac", "key", args_get(opts, ARRAY_LEN(opts), "key"), key,
		      sizeof(key), &key_len) ||
	    !args_hex("mac", "data", args_get(opts, ARRAY_LEN(opts), "data"),
		      data, sizeof(data), &data_len))
		return 1;
	verify = args_get(opts, ARRAY_LEN(opts), "verify");
	if (verify && !args_hex("mac", "verify", verify, expect,
				sizeof(expect), &expect_len))
		return 1;
	mac_len = spec.alg == PCC_MAC_CMAC || spec.alg == PCC_MAC_ISO9797_ALG1 ?
		  pcc_block_size(spec.cipher) : 8;
	if (verify)
		st = pcc_mac_verify(&spec, key, key_len, data, data_len, expect,
				    expect_len);
	else
		st = pcc_mac(&spec, key, key_len, data, data_len, mac, mac_len);
	pcc_wipe(key, sizeof(key));
	if (st != PCC_OK)
		return tool_fail("mac", verify && st == PCC_E_MAC ? "--verify" :
				 NULL, st);
	out_begin();
	if (verify)
		out_text("verified", "yes");
	else
		out_value("mac", mac, mac_len);
	out_end();
	return 0;
}
