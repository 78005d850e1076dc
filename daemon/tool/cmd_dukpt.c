// SPDX-License-Identifier: MIT
/*
 * paycard-tool dukpt derive|ipek: host-side DUKPT.  TDES (X9.24-1) by
 * default; AES (X9.24-3) with --aes128/--aes192/--aes256 (the working key
 * type) or a 12-byte KSN.
 */
#include <string.h>
#include "crypto/dukpt.h"
#include "tool/args.h"
#include "tool/commands.h"
#include "tool/output.h"

static const char *const usage_names[] = { "pin", "mac", "data" };

struct dukpt_args {
	uint8_t bdk[32];
	size_t bdk_len;
	uint8_t ksn[PCC_DUKPT_AES_KSN_LEN];
	size_t ksn_len;
	bool aes;
	bool type_given;			/* an --aesNNN flag */
	enum pcc_dukpt_key_type key_type;	/* AES working key */
};

static bool parse(const char *cmd, struct tool_option *opts, size_t n,
		  struct dukpt_args *a)
{
	static const char *const flags[] = { "aes128", "aes192", "aes256" };
	int chosen = 0;

	a->key_type = PCC_DUKPT_AES128;
	for (int i = 0; i < 3; i++)
		if (args_get(opts, n, flags[i])) {
			a->key_type = (enum pcc_dukpt_key_type)
				      (PCC_DUKPT_AES128 + i);
			chosen++;
		}
	if (chosen > 1) {
		tool_usage(cmd, "choose one of --aes128, --aes192, --aes256");
		return false;
	}
	if (!args_hex(cmd, "bdk", args_get(opts, n, "bdk"), a->bdk,
		      sizeof(a->bdk), &a->bdk_len) ||
	    !args_hex(cmd, "ksn", args_get(opts, n, "ksn"), a->ksn,
		      sizeof(a->ksn), &a->ksn_len))
		return false;
	a->type_given = chosen;
	a->aes = chosen || a->ksn_len == PCC_DUKPT_AES_KSN_LEN;
	if (a->ksn_len != (a->aes ? PCC_DUKPT_AES_KSN_LEN :
			   PCC_DUKPT_TDES_KSN_LEN)) {
		tool_fail(cmd, "--ksn", PCC_E_KSN);
		return false;
	}
	if (!a->aes && a->bdk_len != 16) {
		tool_fail(cmd, "--bdk", PCC_E_KEY_LENGTH);
		return false;
	}
	return true;
}

/* TDES usage plus direction; AES maps to the same request/response pair. */
static enum pcc_dukpt_usage usage_of(int index, bool response)
{
	switch (index) {
	case 0:
		return PCC_DUKPT_PIN;
	case 1:
		return response ? PCC_DUKPT_MAC_RESPONSE :
		       PCC_DUKPT_MAC_REQUEST;
	default:
		return response ? PCC_DUKPT_DATA_RESPONSE :
		       PCC_DUKPT_DATA_REQUEST;
	}
}

static int derive(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "bdk", true, NULL }, { "ksn", true, NULL },
		{ "usage", true, NULL }, { "response", false, NULL },
		{ "aes128", false, NULL }, { "aes192", false, NULL },
		{ "aes256", false, NULL },
	};
	const char *cmd = "dukpt derive";
	struct dukpt_args a;
	uint8_t key[32];
	size_t key_len;
	enum pcc_dukpt_usage usage;
	enum pcc_status st;
	int index;

	if (!args_parse(cmd, argc, argv, 2, opts, ARRAY_LEN(opts)))
		return 2;
	if (!parse(cmd, opts, ARRAY_LEN(opts), &a) ||
	    !args_choice(cmd, "usage", args_get(opts, ARRAY_LEN(opts),
						"usage"),
			 usage_names, ARRAY_LEN(usage_names), &index))
		return 1;
	usage = usage_of(index, args_get(opts, ARRAY_LEN(opts), "response"));
	if (a.aes) {
		st = pcc_dukpt_aes_derive(a.bdk, a.bdk_len, a.ksn, usage,
					  a.key_type, key);
		key_len = pcc_dukpt_key_len(a.key_type);
	} else {
		st = pcc_dukpt_tdes_derive(a.bdk, a.ksn, usage, key);
		key_len = 16;
	}
	pcc_wipe(a.bdk, sizeof(a.bdk));
	if (st != PCC_OK)
		return tool_fail(cmd, NULL, st);
	out_begin();
	out_value("key", key, key_len);
	if (tool_json) {
		out_hex("ksn", a.ksn, a.ksn_len);
		out_text("variant", a.aes ? "aes" : "tdes");
	}
	out_end();
	pcc_wipe(key, sizeof(key));
	return 0;
}

static int ipek(int argc, char **argv)
{
	struct tool_option opts[] = {
		{ "bdk", true, NULL }, { "ksn", true, NULL },
		{ "aes128", false, NULL }, { "aes192", false, NULL },
		{ "aes256", false, NULL },
	};
	const char *cmd = "dukpt ipek";
	struct dukpt_args a;
	uint8_t key[32];
	size_t key_len = 16;
	enum pcc_status st;

	if (!args_parse(cmd, argc, argv, 2, opts, ARRAY_LEN(opts)))
		return 2;
	if (!parse(cmd, opts, ARRAY_LEN(opts), &a))
		return 1;
	if (a.aes && !a.type_given)	/* the BDK's own type */
		a.key_type = a.bdk_len == 32 ? PCC_DUKPT_AES256 :
			     a.bdk_len == 24 ? PCC_DUKPT_AES192 :
			     PCC_DUKPT_AES128;
	if (a.aes) {
		st = pcc_dukpt_aes_initial_key(a.bdk, a.bdk_len, a.ksn,
					       a.key_type, key);
		key_len = pcc_dukpt_key_len(a.key_type);
	} else {
		st = pcc_dukpt_tdes_ipek(a.bdk, a.ksn, key);
	}
	pcc_wipe(a.bdk, sizeof(a.bdk));
	if (st != PCC_OK)
		return tool_fail(cmd, NULL, st);
	out_begin();
	out_value("initial_key", key, key_len);
	out_end();
	pcc_wipe(key, sizeof(key));
	return 0;
}

int tool_dukpt(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "derive"))
		return derive(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "ipek"))
		return ipek(argc, argv);
	return tool_usage("dukpt", "expected 'derive' or 'ipek'");
}
