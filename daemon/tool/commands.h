/* SPDX-License-Identifier: MIT */
/* paycard-tool subcommands: one file per family, dispatched from main.c. */
#ifndef PAYCARD_TOOL_COMMANDS_H
#define PAYCARD_TOOL_COMMANDS_H

/* Each returns the process exit status: 0 ok, 1 bad input or failed check,
 * 2 usage error.  argv[0] is the subcommand name. */
int tool_iso8583(int argc, char **argv);	/* cmd_iso8583.c */
int tool_tlv(int argc, char **argv);		/* cmd_iso8583.c */

int tool_kcv(int argc, char **argv);		/* cmd_kcv.c */
int tool_pinblock(int argc, char **argv);	/* cmd_pinblock.c */
int tool_mac(int argc, char **argv);		/* cmd_mac.c */
int tool_dukpt(int argc, char **argv);		/* cmd_dukpt.c */
int tool_tr31(int argc, char **argv);		/* cmd_tr31.c */
int tool_encrypt(int argc, char **argv);	/* cmd_cipher.c */
int tool_decrypt(int argc, char **argv);	/* cmd_cipher.c */
int tool_bench(int argc, char **argv);		/* cmd_bench.c */

#endif
