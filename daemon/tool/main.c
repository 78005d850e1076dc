// SPDX-License-Identifier: MIT
/*
 * paycard-tool: offline workbench for integrators (keys, PIN blocks, MACs,
 * DUKPT, TR-31, ISO 8583).  Hex in, hex out, --json for machines.
 */
#include <stdio.h>
#include <string.h>
#include "tool/commands.h"
#include "tool/output.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
} commands[] = {
	{ "kcv", tool_kcv, "--key HEX [--method classic|legacy|cmac|cup] "
	  "[--alg tdes|aes|sm4] [--length N]" },
	{ "pinblock", tool_pinblock, "encode|decode --format 0-4 ..." },
	{ "mac", tool_mac, "--alg cup-ecb|iso9797-1-alg1|iso9797-1-alg3|cmac "
	  "--key HEX --data HEX" },
	{ "dukpt", tool_dukpt, "derive|ipek --bdk HEX --ksn HEX "
	  "[--aes128|--aes192|--aes256] --usage pin|mac|data" },
	{ "tr31", tool_tr31, "unwrap --kbpk HEX --block TEXT | wrap ..." },
	{ "encrypt", tool_encrypt, "--alg tdes|aes|sm4 --key HEX --data HEX "
	  "[--iv HEX]" },
	{ "decrypt", tool_decrypt, "--alg tdes|aes|sm4 --key HEX --data HEX "
	  "[--iv HEX]" },
	{ "iso8583", tool_iso8583, "(see paycard-tool iso8583 --help)" },
	{ "tlv", tool_tlv, "(see paycard-tool tlv --help)" },
	{ "bench", tool_bench, "[--seconds S]" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: paycard-tool [--json] COMMAND [OPTIONS]\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name,
			commands[i].synopsis);
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	int first = 1;

	if (argc > first && !strcmp(argv[first], "--json")) {
		tool_json = true;
		first++;
	}
	if (argc <= first)
		return usage(stderr);
	if (!strcmp(argv[first], "--help") || !strcmp(argv[first], "help"))
		return usage(stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[first], commands[i].name))
			return commands[i].run(argc - first, argv + first);
	fprintf(stderr, "paycard-tool: unknown command '%.40s'\n",
		argv[first]);
	return 2;
}
