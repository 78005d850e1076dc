/* SPDX-License-Identifier: MIT */
/*
 * A UnionPay sale request (0200) built by hand, byte by byte, from the
 * dialect rules in DESIGN.md (not from the codec): shared by the codec and
 * printer tests.
 */
#ifndef PAYCARD_TEST_SALE_FRAME_H
#define PAYCARD_TEST_SALE_FRAME_H

#include <stdint.h>

/*
 * Body length: MTI 2 + bitmap 8 + f2 11 + f3 3 + f4 6 + f11 3 + f14 2 +
 * f22 2 + f25 1 + f26 1 + f35 15 + f41 8 + f42 15 + f49 3 + f52 8 + f53 8 +
 * f60 6 + f64 8 = 110; after the length prefix: TPDU 5 + header 6 + 110 =
 * 121 = 0x0079.
 */
static const uint8_t sale_frame[] = {
	0x00, 0x79,				/* length 121, big-endian */
	0x60, 0x00, 0x03, 0x00, 0x00,		/* TPDU: ID 60, dest 0003, src 0000 */
	0x60, 0x31, 0x00, 0x00, 0x00, 0x00,	/* header: app 60, version 31 */
	0x02, 0x00,				/* MTI 0200 in BCD */
	/* bitmap: byte 0 = f2 40|f3 20|f4 10 = 70; byte 1 = f11 20|f14 04
	 * = 24; byte 2 = f22 04; byte 3 = f25 80|f26 40 = C0; byte 4 = f35
	 * 20; byte 5 = f41 80|f42 40 = C0; byte 6 = f49 80|f52 10|f53 08 =
	 * 98; byte 7 = f60 10|f64 01 = 11 */
	0x70, 0x24, 0x04, 0xC0, 0x20, 0xC0, 0x98, 0x11,
	/* f2 LLVAR: length 19 as BCD 0x19, 19 digits left-aligned, pad 0 */
	0x19, 0x62, 0x22, 0x02, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x30,
	0x00, 0x00, 0x00,			/* f3 processing code 000000 */
	0x00, 0x00, 0x00, 0x00, 0x12, 0x34,	/* f4 amount 000000001234 */
	0x00, 0x01, 0x23,			/* f11 STAN 000123 */
	0x25, 0x12,				/* f14 expiry 2512 */
	0x02, 0x10,				/* f22 n3 "021": left-aligned, pad 0 */
	0x00,					/* f25 condition 00 */
	0x12,					/* f26 PIN capture 12 */
	/* f35 LLVAR z: 27 characters "6222021234567890123=2512101", '=' as
	 * nibble D, 27 nibbles + pad 0 = 14 bytes */
	0x27, 0x62, 0x22, 0x02, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x3D,
	0x25, 0x12, 0x10, 0x10,
	'1', '2', '3', '4', '5', '6', '7', '8',	/* f41 terminal ID (ASCII) */
	'1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '1', '2', '3', '4',
	'5',					/* f42 merchant ID */
	'1', '5', '6',				/* f49 currency 156 (an3) */
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,	/* f52 PIN block */
	0x26, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* f53 2600..00 */
	/* f60 LLLVAR n: length 8 as 2 BCD bytes 00 08; "22000001" =
	 * 60.1 type 22, 60.2 batch 000001 */
	0x00, 0x08, 0x22, 0x00, 0x00, 0x01,
	0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8,	/* f64 MAC */
};

/* Offset of the MTI (length 2 + TPDU 5 + header 6) and of field 64. */
#define SALE_BODY_OFFSET	13
#define SALE_MAC_OFFSET		(sizeof(sale_frame) - 8)

#define SALE_PAN	"6222021234567890123"
#define SALE_TRACK2	"6222021234567890123=2512101"

#endif
