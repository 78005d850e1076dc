// SPDX-License-Identifier: MIT
/* Placeholder until the ISO 8583 codec lands (issue 4 replaces this file). */
#include <stdio.h>
#include "tool/commands.h"

int tool_iso8583(int argc, char **argv)
{
	fprintf(stderr, "paycard-tool: iso8583: not built yet\n");
	return 2;
}

int tool_tlv(int argc, char **argv)
{
	fprintf(stderr, "paycard-tool: tlv: not built yet\n");
	return 2;
}
