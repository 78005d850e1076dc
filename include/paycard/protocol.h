/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * paycard reader wire protocol (PCP): constants and payload layouts.
 *
 * This header is shared by the kernel driver, the reader emulator, the
 * daemon's userspace transport, the tests and the fuzzers.  The normative
 * description, written for firmware engineers, is docs/reader-protocol.md;
 * when the two disagree the document is right and this header is a bug.
 *
 * All multi-byte integers on the wire are little-endian.  Payload structs
 * below are packed byte layouts: code must (de)serialise them field by field
 * (see frame.h helpers), never cast a buffer to them on big-endian hosts.
 */
#ifndef _PAYCARD_PROTOCOL_H
#define _PAYCARD_PROTOCOL_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#include <stddef.h>
#endif

/* Protocol versions this code speaks (major.minor; minor is additive). */
#define PCP_VERSION_MAJOR		1
#define PCP_VERSION_MINOR		0

/*
 * Frame = header (12 bytes) + payload (len bytes) + CRC-32 (4 bytes).
 *
 *  off size field
 *   0   2   magic   'P' 'C' (0x50 0x43): resynchronisation point on SPI
 *   2   1   type    PCP_TYPE_*
 *   3   1   code    command / event code; a response echoes the command code
 *   4   2   seq     commands: host-chosen, never 0; responses echo it;
 *                   events: the reader's own event counter (gaps = lost events)
 *   6   2   status  responses: PCP_STATUS_*; 0 in commands and events
 *   8   4   len     payload length, at most PCP_MAX_PAYLOAD
 *  12  len  payload
 * 12+len 4  crc     CRC-32/ISO-HDLC (poly 0x04C11DB7 reflected, init and
 *                   xorout 0xFFFFFFFF) over bytes [0, 12+len)
 */
#define PCP_MAGIC0			0x50
#define PCP_MAGIC1			0x43
#define PCP_HDR_LEN			12
#define PCP_CRC_LEN			4
#define PCP_OVERHEAD			(PCP_HDR_LEN + PCP_CRC_LEN)
/* Largest extended C-APDU (4 + 3 + 65535 + 3) rounded up; hard protocol cap. */
#define PCP_MAX_PAYLOAD			65552
#define PCP_MAX_FRAME			(PCP_MAX_PAYLOAD + PCP_OVERHEAD)

/*
 * USB binding: one vendor-specific interface (class 0xFF, subclass 0x50 'P',
 * protocol 0x01) with one bulk OUT endpoint (commands) and one bulk IN
 * endpoint (responses and events, told apart by type).  Frames are a byte
 * stream on each endpoint: a frame may span transfers and a transfer may
 * carry several frames.  1209:0001 is the test ID used by the emulator;
 * vendors add their own IDs to the driver's table (or via new_id).
 */
#define PCP_USB_TEST_VID		0x1209
#define PCP_USB_TEST_PID		0x0001
#define PCP_USB_CLASS			0xFF
#define PCP_USB_SUBCLASS		0x50
#define PCP_USB_PROTOCOL		0x01

/* Frame types */
#define PCP_TYPE_COMMAND		0x01
#define PCP_TYPE_RESPONSE		0x02
#define PCP_TYPE_EVENT			0x03

/* Command codes (host -> reader); the response carries the same code. */
#define PCP_CMD_HELLO			0x01	/* version negotiation */
#define PCP_CMD_GET_INFO		0x02
#define PCP_CMD_CHIP_POWER_ON		0x10	/* response payload: ATR */
#define PCP_CMD_CHIP_POWER_OFF		0x11
#define PCP_CMD_APDU			0x12	/* C-APDU in, R-APDU out */
#define PCP_CMD_KEYPAD_MODE		0x20
#define PCP_CMD_UI			0x30
#define PCP_CMD_ABORT			0x40	/* abort the command in flight */
#define PCP_CMD_RESET			0x41

/* Event codes (reader -> host, unsolicited) */
#define PCP_EVT_CARD_INSERTED		0x80
#define PCP_EVT_CARD_REMOVED		0x81
#define PCP_EVT_MSR			0x82
#define PCP_EVT_KEY			0x83
#define PCP_EVT_TAMPER			0x84
#define PCP_EVT_ERROR			0x85

/* Response status */
#define PCP_STATUS_OK			0x0000
#define PCP_STATUS_UNSUPPORTED		0x0001	/* unknown command code */
#define PCP_STATUS_BAD_PARAM		0x0002
#define PCP_STATUS_BUSY			0x0003
#define PCP_STATUS_NO_CARD		0x0004
#define PCP_STATUS_CARD_ERROR		0x0005	/* mute card, bad ATR, T=0/1 error */
#define PCP_STATUS_TIMEOUT		0x0006
#define PCP_STATUS_ABORTED		0x0007
#define PCP_STATUS_BAD_FRAME		0x0008
#define PCP_STATUS_TOO_LARGE		0x0009
#define PCP_STATUS_INTERNAL		0x00FF

/* Capability bits (GET_INFO caps) */
#define PCP_CAP_MSR			(1u << 0)
#define PCP_CAP_ICC			(1u << 1)
#define PCP_CAP_KEYPAD			(1u << 2)
#define PCP_CAP_PIN_ENTRY		(1u << 3)
#define PCP_CAP_LEDS			(1u << 4)
#define PCP_CAP_BUZZER			(1u << 5)
#define PCP_CAP_EXTENDED_APDU		(1u << 6)
#define PCP_CAP_TAMPER			(1u << 7)

/*
 * HELLO command payload (4 bytes): u8 host_min_major, u8 host_min_minor,
 *   u8 host_max_major, u8 host_max_minor.
 * HELLO response payload (4 bytes): u8 major, u8 minor (the version the
 *   reader will speak: the highest it supports within the host's range),
 *   u16 reserved (0).  A reader with no common version answers
 *   PCP_STATUS_UNSUPPORTED.
 */
#define PCP_HELLO_LEN			4

/*
 * GET_INFO response payload (116 bytes, little-endian):
 *   0  u8   proto_major
 *   1  u8   proto_minor
 *   2  u16  usb_vid (0 on SPI)
 *   4  u32  caps          PCP_CAP_*
 *   8  u32  max_payload   largest frame payload the reader accepts/sends
 *  12  u32  max_apdu      largest C-APDU / R-APDU (bytes) the reader handles
 *  16  u8   model[32]     NUL-padded printable ASCII
 *  48  u8   serial[32]    NUL-padded [A-Za-z0-9._-]
 *  80  u8   firmware[32]  NUL-padded, "MAJOR.MINOR.PATCH[...]"
 * 112  u8   keys          number of physical keys
 * 113  u8   leds          number of LEDs
 * 114  u16  reserved (0)
 * Later minor versions may append fields; hosts ignore extra bytes.
 */
#define PCP_INFO_LEN			116
#define PCP_INFO_STR_LEN		32

/*
 * KEYPAD_MODE command payload (4 bytes): u8 mode, u8 pin_min, u8 pin_max,
 * u8 timeout_s (PIN mode: inactivity timeout; 0 = reader default).
 */
#define PCP_KEYPAD_OFF			0
#define PCP_KEYPAD_FUNCTION		1	/* function keys only */
#define PCP_KEYPAD_PIN			2	/* PIN entry: digits, clear, enter, cancel */
#define PCP_KEYPAD_LEN			4

/*
 * UI command payload (8 bytes): u16 led_mask (LEDs to change), u16 led_on
 * (new state of those LEDs), u16 buzzer_ms (0 = silent), u16 reserved.
 */
#define PCP_UI_LEN			8

/* KEY event payload (4 bytes): u16 keycode, u16 reserved. */
#define PCP_KEY_0			0x30	/* '0'..'9' are 0x30..0x39 */
#define PCP_KEY_9			0x39
#define PCP_KEY_ENTER			0x0D
#define PCP_KEY_CLEAR			0x08
#define PCP_KEY_CANCEL			0x1B
#define PCP_KEY_F1			0x70	/* F1..F4: 0x70..0x73 */
#define PCP_KEY_EVENT_LEN		4
/*
 * Digits are reported only in PIN mode; in function mode only F1..F4,
 * ENTER, CLEAR and CANCEL.
 */

/*
 * MSR event payload: three track records, in order track 1, 2, 3:
 *   u8 status (PCP_TRACK_*), u8 len, u8 data[len]
 * data holds the characters between the start and end sentinels, as ASCII
 * (track 1: 0x20..0x5F, tracks 2/3: '0'..'9' ':' ';' '<' '=' '>' '?').
 */
#define PCP_TRACK_ABSENT		0
#define PCP_TRACK_OK			1
#define PCP_TRACK_PARITY_ERROR		2
#define PCP_TRACK_LRC_ERROR		3
#define PCP_TRACK_NO_SENTINEL		4
#define PCP_TRACK1_MAX			79
#define PCP_TRACK2_MAX			40
#define PCP_TRACK3_MAX			107

/* TAMPER event payload: u32 flags.  ERROR event payload: u16 code, u16 0. */
#define PCP_TAMPER_CASE_OPEN		(1u << 0)
#define PCP_TAMPER_MESH			(1u << 1)
#define PCP_TAMPER_HEAD			(1u << 2)

#endif /* _PAYCARD_PROTOCOL_H */
