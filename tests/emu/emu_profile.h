/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Card profiles: an emulated IC card is data, not code.  A profile is a text
 * file of lines (tests/emu/README.md has examples):
 *
 *   name <text>
 *   atr <hex>                      answer to reset; "atr mute" = no answer
 *   apdu <pattern> -> <response>   first matching line answers
 *   default <hex>                  status word when nothing matches
 *   emv-card <path>                a virtual EMV card answers every APDU
 *
 * pattern: hex bytes, ".." matches any byte, a final "*" any tail.
 * response: hex bytes, or "echo <SW>" (the command's data field back, then
 * SW), or "seq <N> <SW>" (N bytes 00 01 02 ... wrapping, then SW).
 *
 * emv-card: <path> is a virtual card profile (tests/emu/card, format in
 * virtual_card.h), relative to the directory of this profile unless
 * absolute.  The card computes real cryptograms from its issuer master key
 * and keeps its state (ATC, selection) while inserted; freeing the profile
 * (card removed) wipes it.  It excludes apdu lines; the ATR stays in
 * this profile.
 */
#ifndef PAYCARD_EMU_PROFILE_H
#define PAYCARD_EMU_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EMU_ATR_MAX		33
#define EMU_PROFILE_NAME_MAX	64

enum emu_rsp_kind { EMU_RSP_LITERAL, EMU_RSP_ECHO, EMU_RSP_SEQ };

struct emu_rule {
	uint8_t *pattern;	/* bytes; mask says which are compared */
	uint8_t *mask;
	size_t pattern_len;
	bool any_tail;
	enum emu_rsp_kind kind;
	uint8_t *rsp;		/* literal response, or the SW for echo/seq */
	size_t rsp_len;
	uint32_t seq_len;
};

struct vcard;

struct emu_profile {
	char name[EMU_PROFILE_NAME_MAX];
	struct vcard *vcard;	/* emv-card, NULL for a rule table */
	bool mute;
	uint8_t atr[EMU_ATR_MAX];
	size_t atr_len;
	struct emu_rule *rules;
	size_t n_rules;
	uint8_t default_sw[2];
};

/*
 * Load @path into @p.  On error returns -1 and writes a message naming the
 * file and line into @err.
 */
int emu_profile_load(struct emu_profile *p, const char *path, char *err,
		     size_t err_size);
void emu_profile_free(struct emu_profile *p);

/*
 * Answer the C-APDU @cmd.  Returns 0 with a malloc'd R-APDU in *@rsp
 * (caller frees) and its length, -EMSGSIZE when the R-APDU would exceed
 * @max_len, -ENOMEM; -ENOMEDIUM when a virtual card acts as pulled out.
 */
int emu_profile_answer(const struct emu_profile *p, const uint8_t *cmd,
		       size_t cmd_len, size_t max_len, uint8_t **rsp,
		       size_t *rsp_len);

/* Parse a hex string (spaces allowed) into @out; returns bytes or -1. */
int emu_hex_parse(const char *hex, uint8_t *out, size_t size);

#endif /* PAYCARD_EMU_PROFILE_H */
