// SPDX-License-Identifier: MIT
/* TR-31 header parsing and checking (no key material involved). */
#include <string.h>
#include "crypto/tr31.h"
#include "crypto/tr31_internal.h"

static bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

static bool is_printable(char c)
{
	return c >= 0x20 && c <= 0x7E;
}

static int decimal(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static long hex_number(const char *s, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Key usages of TR-31:2018 table 6 we accept, each with the modes of use
 * that make sense for it (table 8).
 */
static const struct {
	const char *usage;
	const char *modes;
} usages[] = {
	{ "B0", "X" },		/* BDK base derivation key */
	{ "B1", "X" },		/* initial DUKPT key */
	{ "B2", "X" },		/* base key variant key */
	{ "C0", "CGV" },	/* card verification key */
	{ "D0", "BDE" },	/* symmetric data encryption */
	{ "D1", "BDE" },	/* asymmetric data encryption */
	{ "D2", "BDE" },	/* decimalisation table */
	{ "E0", "X" }, { "E1", "X" }, { "E2", "X" }, { "E3", "X" },
	{ "E4", "X" }, { "E5", "X" }, { "E6", "X" },	/* EMV masters */
	{ "I0", "" },		/* initialisation vector */
	{ "K0", "BDEX" },	/* key encryption or wrapping */
	{ "K1", "BDEX" },	/* TR-31 key block protection key */
	{ "K2", "BDEX" },	/* TR-34 asymmetric KEK */
	{ "K3", "BDEX" },	/* ANSI X9.42 key agreement */
	{ "M0", "CGV" }, { "M1", "CGV" }, { "M2", "CGV" }, { "M3", "CGV" },
	{ "M4", "CGV" }, { "M5", "CGV" }, { "M6", "CGV" }, { "M7", "CGV" },
	{ "M8", "CGV" },	/* MAC keys */
	{ "P0", "BDE" },	/* PIN encryption */
	{ "S0", "SV" }, { "S1", "SV" }, { "S2", "SV" },	/* signatures */
	{ "V0", "CGV" }, { "V1", "CGV" }, { "V2", "CGV" }, { "V3", "CGV" },
	{ "V4", "CGV" },	/* PIN verification */
};

/* 'N' (no special restrictions) is valid with every usage. */
bool pcc_tr31_usage_mode_ok(const char usage[2], char mode)
{
	for (size_t i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		if (!memcmp(usages[i].usage, usage, 2))
			return mode && (mode == 'N' ||
					strchr(usages[i].modes, mode));
	return false;
}

bool pcc_tr31_algorithm_ok(char algorithm)
{
	return algorithm && strchr("ADEHRST", algorithm);
}

bool pcc_tr31_exportability_ok(char exportability)
{
	return exportability && strchr("ENS", exportability);
}

size_t pcc_tr31_mac_len(char version)
{
	switch (version) {
	case 'A':
	case 'C':
		return 4;
	case 'B':
		return 8;
	case 'D':
		return 16;
	}
	return 0;
}

size_t pcc_tr31_block_size(char version)
{
	return version == 'D' ? 16 : 8;
}

/* Parse the optional blocks after the fixed header; sets header_len. */
static enum pcc_status parse_optional(const char *text, size_t len,
				      unsigned count,
				      struct pcc_tr31_header *hdr)
{
	size_t pos = PCC_TR31_HEADER_LEN;

	for (unsigned i = 0; i < count; i++) {
		size_t start = pos, data_off;
		long block_len;

		if (len - pos < 4 || !is_alnum(text[pos]) ||
		    !is_alnum(text[pos + 1]))
			return PCC_E_KEYBLOCK_FORMAT;
		block_len = hex_number(text + pos + 2, 2);
		data_off = pos + 4;
		if (block_len == 0) {
			/* extended length: 2 hex digits of length-of-length */
			long ll = len - pos >= 6 ?
				  hex_number(text + pos + 4, 2) : -1;

			if (ll < 1 || ll > 4 || len - pos < 6 + (size_t)ll)
				return PCC_E_KEYBLOCK_FORMAT;
			block_len = hex_number(text + pos + 6, (size_t)ll);
			data_off = pos + 6 + (size_t)ll;
		}
		if (block_len < 0 || (size_t)block_len < data_off - start ||
		    (size_t)block_len > len - start)
			return PCC_E_KEYBLOCK_FORMAT;
		pos = start + (size_t)block_len;
		for (size_t j = data_off; j < pos; j++)
			if (!is_printable(text[j]))
				return PCC_E_KEYBLOCK_FORMAT;
		if (i < PCC_TR31_MAX_OPT) {
			memcpy(hdr->opt[i].id, text + start, 2);
			hdr->opt[i].id[2] = '\0';
			hdr->opt[i].offset = (uint16_t)data_off;
			hdr->opt[i].len = (uint16_t)(pos - data_off);
		}
	}
	hdr->n_opt = (uint8_t)count;
	hdr->header_len = (uint16_t)pos;
	return PCC_OK;
}

static enum pcc_status check_fields(const struct pcc_tr31_header *hdr)
{
	if (!is_alnum(hdr->key_version[0]) || !is_alnum(hdr->key_version[1]))
		return PCC_E_KEYBLOCK_FORMAT;
	if (!pcc_tr31_algorithm_ok(hdr->algorithm) ||
	    !pcc_tr31_exportability_ok(hdr->exportability) ||
	    !pcc_tr31_usage_mode_ok(hdr->usage, hdr->mode))
		return PCC_E_KEYBLOCK_HEADER;
	return PCC_OK;
}

enum pcc_status pcc_tr31_parse_header(const char *text, size_t len,
				      struct pcc_tr31_header *hdr)
{
	int block_len, n_opt;
	enum pcc_status st;

	if (!text || !hdr)
		return PCC_E_ARGUMENT;
	memset(hdr, 0, sizeof(*hdr));
	if (len < PCC_TR31_HEADER_LEN || len > PCC_TR31_MAX_BLOCK)
		return PCC_E_KEYBLOCK_FORMAT;
	for (size_t i = 0; i < len; i++)
		if (!is_printable(text[i]))
			return PCC_E_KEYBLOCK_FORMAT;
	hdr->version = text[0];
	if (!pcc_tr31_mac_len(hdr->version))
		return is_alnum(text[0]) ? PCC_E_KEYBLOCK_VERSION :
		       PCC_E_KEYBLOCK_FORMAT;
	block_len = decimal(text + 1, 4);
	n_opt = decimal(text + 12, 2);
	if (block_len < 0 || (size_t)block_len != len || n_opt < 0 ||
	    memcmp(text + 14, "00", 2))
		return PCC_E_KEYBLOCK_FORMAT;
	hdr->block_len = (uint16_t)block_len;
	memcpy(hdr->usage, text + 5, 2);
	hdr->algorithm = text[7];
	hdr->mode = text[8];
	memcpy(hdr->key_version, text + 9, 2);
	hdr->exportability = text[11];
	st = check_fields(hdr);
	if (st == PCC_OK)
		st = parse_optional(text, len, (unsigned)n_opt, hdr);
	if (st == PCC_OK &&
	    hdr->header_len % pcc_tr31_block_size(hdr->version))
		st = PCC_E_KEYBLOCK_FORMAT;	/* a PB block must align it */
	return st;
}
