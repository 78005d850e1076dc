// SPDX-License-Identifier: MIT
/*
 * The paycard-tool iso8583/tlv commands on their own, so their tests (CLI
 * test, tshark interoperability) do not wait for the whole paycard-tool.
 * Same dispatch as paycard-tool: argv[1] is the command family.
 */
#include <stdio.h>
#include <string.h>

#include "tool/commands.h"

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "iso8583"))
		return tool_iso8583(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "tlv"))
		return tool_tlv(argc - 1, argv + 1);
	fprintf(stderr, "usage: %s iso8583|tlv ...\n", argv[0]);
	return 2;
}
