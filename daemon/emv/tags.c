// SPDX-License-Identifier: MIT
#include "emv/tags.h"

/* Lengths from EMV 4.3 Book 3 Annex A (and Book 4 for terminal data). */
static const struct emv_tag_info tag_table[] = {
	{ 0x4f,   EMV_FMT_B,  5, 16 },	/* AID (card) */
	{ 0x50,   EMV_FMT_AN, 1, 16 },	/* application label */
	{ 0x57,   EMV_FMT_B,  1, 19 },	/* track 2 equivalent data */
	{ 0x5a,   EMV_FMT_CN, 1, 10 },	/* PAN */
	{ 0x5f20, EMV_FMT_AN, 2, 26 },	/* cardholder name */
	{ 0x5f24, EMV_FMT_N,  3, 3 },	/* expiration date YYMMDD */
	{ 0x5f25, EMV_FMT_N,  3, 3 },	/* effective date YYMMDD */
	{ 0x5f28, EMV_FMT_N,  2, 2 },	/* issuer country code */
	{ 0x5f2a, EMV_FMT_N,  2, 2 },	/* transaction currency code */
	{ 0x5f2d, EMV_FMT_AN, 2, 8 },	/* language preference */
	{ 0x5f30, EMV_FMT_N,  2, 2 },	/* service code */
	{ 0x5f34, EMV_FMT_N,  1, 1 },	/* PAN sequence number */
	{ 0x82,   EMV_FMT_B,  2, 2 },	/* AIP */
	{ 0x84,   EMV_FMT_B,  5, 16 },	/* DF name */
	{ 0x87,   EMV_FMT_B,  1, 1 },	/* application priority indicator */
	{ 0x88,   EMV_FMT_B,  1, 1 },	/* SFI */
	{ 0x8a,   EMV_FMT_AN, 2, 2 },	/* authorisation response code */
	{ 0x8c,   EMV_FMT_B,  1, 252 },	/* CDOL1 */
	{ 0x8d,   EMV_FMT_B,  1, 252 },	/* CDOL2 */
	{ 0x8e,   EMV_FMT_B,  10, 252 },	/* CVM list */
	{ 0x91,   EMV_FMT_B,  8, 16 },	/* issuer authentication data */
	{ 0x94,   EMV_FMT_B,  4, 252 },	/* AFL */
	{ 0x95,   EMV_FMT_B,  5, 5 },	/* TVR */
	{ 0x9a,   EMV_FMT_N,  3, 3 },	/* transaction date */
	{ 0x9b,   EMV_FMT_B,  2, 2 },	/* TSI */
	{ 0x9c,   EMV_FMT_N,  1, 1 },	/* transaction type */
	{ 0x9f02, EMV_FMT_N,  6, 6 },	/* amount authorised */
	{ 0x9f03, EMV_FMT_N,  6, 6 },	/* amount other */
	{ 0x9f07, EMV_FMT_B,  2, 2 },	/* application usage control */
	{ 0x9f08, EMV_FMT_B,  2, 2 },	/* application version (card) */
	{ 0x9f09, EMV_FMT_B,  2, 2 },	/* application version (terminal) */
	{ 0x9f0d, EMV_FMT_B,  5, 5 },	/* IAC default */
	{ 0x9f0e, EMV_FMT_B,  5, 5 },	/* IAC denial */
	{ 0x9f0f, EMV_FMT_B,  5, 5 },	/* IAC online */
	{ 0x9f10, EMV_FMT_B,  1, 32 },	/* issuer application data */
	{ 0x9f11, EMV_FMT_N,  1, 1 },	/* issuer code table index */
	{ 0x9f12, EMV_FMT_AN, 1, 16 },	/* application preferred name */
	{ 0x9f15, EMV_FMT_N,  2, 2 },	/* merchant category code */
	{ 0x9f17, EMV_FMT_B,  1, 1 },	/* PIN try counter */
	{ 0x9f1a, EMV_FMT_N,  2, 2 },	/* terminal country code */
	{ 0x9f1e, EMV_FMT_AN, 8, 8 },	/* IFD serial number */
	{ 0x9f21, EMV_FMT_N,  3, 3 },	/* transaction time */
	{ 0x9f26, EMV_FMT_B,  8, 8 },	/* application cryptogram */
	{ 0x9f27, EMV_FMT_B,  1, 1 },	/* CID */
	{ 0x9f33, EMV_FMT_B,  3, 3 },	/* terminal capabilities */
	{ 0x9f34, EMV_FMT_B,  3, 3 },	/* CVM results */
	{ 0x9f35, EMV_FMT_N,  1, 1 },	/* terminal type */
	{ 0x9f36, EMV_FMT_B,  2, 2 },	/* ATC */
	{ 0x9f37, EMV_FMT_B,  4, 4 },	/* unpredictable number */
	{ 0x9f38, EMV_FMT_B,  1, 252 },	/* PDOL */
	{ 0x9f40, EMV_FMT_B,  5, 5 },	/* additional terminal capabilities */
	{ 0x9f41, EMV_FMT_N,  2, 4 },	/* transaction sequence counter */
	{ 0x9f42, EMV_FMT_N,  2, 2 },	/* application currency code */
	{ 0x9f4e, EMV_FMT_AN, 1, 40 },	/* merchant name and location */
	{ 0x9f63, EMV_FMT_B,  16, 16 },	/* UnionPay card product identification */
	{ 0x9f66, EMV_FMT_B,  4, 4 },	/* terminal transaction qualifiers */
	{ 0x9f7a, EMV_FMT_B,  1, 1 },	/* UnionPay EC terminal support indicator */
	{ 0xdf31, EMV_FMT_B,  5, 100 },	/* UnionPay issuer script results */
};

const struct emv_tag_info *emv_tag_info(uint32_t tag)
{
	for (size_t i = 0; i < sizeof(tag_table) / sizeof(tag_table[0]); i++)
		if (tag_table[i].tag == tag)
			return &tag_table[i];
	return NULL;
}
