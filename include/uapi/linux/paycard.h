/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * paycard: point-of-sale card reader character device (/dev/paycardN).
 *
 * read() returns whole struct paycard_event records (a buffer smaller than
 * one record gets -EINVAL); poll() reports EPOLLIN when events are queued and
 * EPOLLHUP | EPOLLERR once the reader is gone.  Only one file may be open per
 * reader at a time (the second open() gets -EBUSY).  After an unplug every
 * call except close() returns -ENODEV.  Events are queued only while the
 * file is open; unread ones are discarded (and wiped) on close.
 *
 * All structures have fixed-width members, explicit padding and no holes;
 * user pointers travel as __u64.  Reserved members must be zero on input
 * (-EINVAL otherwise) so they can be given meaning later.
 */
#ifndef _UAPI_LINUX_PAYCARD_H
#define _UAPI_LINUX_PAYCARD_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Bumped on any incompatible change of this header; also the module's
 * "abi_version" sysfs attribute (/sys/module/paycard/parameters/abi_version).
 */
#define PAYCARD_ABI_VERSION		1

#define PAYCARD_STR_LEN			32
#define PAYCARD_ATR_MAX			40	/* ISO 7816-3 allows 33 bytes */
#define PAYCARD_TRACK_MAX		112	/* room for track 3 (107) */

/* ---- events: what read() returns ---- */

#define PAYCARD_EVENT_CARD_INSERTED	1
#define PAYCARD_EVENT_CARD_REMOVED	2
#define PAYCARD_EVENT_MSR		3	/* magnetic stripe swipe */
#define PAYCARD_EVENT_KEY		4
#define PAYCARD_EVENT_TAMPER		5
#define PAYCARD_EVENT_ERROR		6

/* flags */
#define PAYCARD_EVF_LOST	(1 << 0)	/* events were lost before this one */

/* track status, as in the wire protocol's PCP_TRACK_* */
#define PAYCARD_TRACK_ABSENT		0
#define PAYCARD_TRACK_OK		1
#define PAYCARD_TRACK_PARITY_ERROR	2
#define PAYCARD_TRACK_LRC_ERROR		3
#define PAYCARD_TRACK_NO_SENTINEL	4

struct paycard_track {
	__u8 status;			/* PAYCARD_TRACK_* */
	__u8 len;			/* valid bytes in data */
	__u8 data[PAYCARD_TRACK_MAX - 2];	/* ASCII between sentinels */
};

struct paycard_event_msr {
	struct paycard_track track[3];	/* tracks 1, 2, 3 */
};

struct paycard_event_key {
	__u16 code;			/* PCP_KEY_* from <paycard/protocol.h> */
	__u16 reserved;
};

struct paycard_event_tamper {
	__u32 flags;			/* PCP_TAMPER_* */
};

struct paycard_event_error {
	__u16 code;			/* reader-defined error code */
	__u16 reserved;
};

struct paycard_event {
	__u16 type;			/* PAYCARD_EVENT_* */
	__u16 flags;			/* PAYCARD_EVF_* */
	__u32 seq;			/* reader's event sequence number */
	__u64 timestamp_ns;		/* CLOCK_MONOTONIC at reception */
	union {
		struct paycard_event_msr msr;
		struct paycard_event_key key;
		struct paycard_event_tamper tamper;
		struct paycard_event_error error;
		__u8 raw[3 * PAYCARD_TRACK_MAX];
	};
};

/* ---- ioctls ---- */

/* 0xD5 is unassigned in Documentation/userspace-api/ioctl/ioctl-number.rst */
#define PAYCARD_IOC_MAGIC		0xD5

/* capability bits, as the wire protocol's PCP_CAP_* */
#define PAYCARD_CAP_MSR			(1 << 0)
#define PAYCARD_CAP_ICC			(1 << 1)
#define PAYCARD_CAP_KEYPAD		(1 << 2)
#define PAYCARD_CAP_PIN_ENTRY		(1 << 3)
#define PAYCARD_CAP_LEDS		(1 << 4)
#define PAYCARD_CAP_BUZZER		(1 << 5)
#define PAYCARD_CAP_EXTENDED_APDU	(1 << 6)
#define PAYCARD_CAP_TAMPER		(1 << 7)

/**
 * PAYCARD_IOC_GET_INFO - identity and capabilities of the reader
 * Strings are NUL-terminated.  transport is "usb" or "spi".
 */
struct paycard_info {
	__u16 proto_major;
	__u16 proto_minor;
	__u32 caps;			/* PAYCARD_CAP_* */
	__u32 max_apdu;			/* largest C-/R-APDU in bytes */
	__u32 abi_version;		/* PAYCARD_ABI_VERSION of the driver */
	char model[PAYCARD_STR_LEN];
	char serial[PAYCARD_STR_LEN];
	char firmware[PAYCARD_STR_LEN];
	char transport[8];
};

#define PAYCARD_IOC_GET_INFO	_IOR(PAYCARD_IOC_MAGIC, 0x00, struct paycard_info)

/**
 * PAYCARD_IOC_CHIP_POWER - power the IC card on (returns the ATR) or off
 * @on: 1 = power on (cold reset), 0 = power off
 * Errors: -ENOMEDIUM no card, -EIO card mute or bad ATR, -ETIMEDOUT.
 */
struct paycard_chip_power {
	__u32 on;
	__u32 atr_len;			/* out */
	__u8 atr[PAYCARD_ATR_MAX];	/* out */
};

#define PAYCARD_IOC_CHIP_POWER	_IOWR(PAYCARD_IOC_MAGIC, 0x01, struct paycard_chip_power)

/**
 * PAYCARD_IOC_APDU - exchange one APDU with the powered IC card
 * @cmd_ptr/@cmd_len: the C-APDU (4..max_apdu bytes)
 * @rsp_ptr/@rsp_size: buffer for the R-APDU; @rsp_len is set on return
 * @timeout_ms: 0 = driver default (5000); at most 60000
 * Errors: -EINVAL bad lengths, -EMSGSIZE R-APDU larger than rsp_size,
 * -ENOMEDIUM no card / not powered, -ETIMEDOUT, -EINTR (signal; the command
 * is aborted on the reader), -ECANCELED aborted by PAYCARD_IOC_ABORT,
 * -ENODEV unplugged.
 */
struct paycard_apdu {
	__u64 cmd_ptr;
	__u64 rsp_ptr;
	__u32 cmd_len;
	__u32 rsp_size;
	__u32 rsp_len;			/* out */
	__u32 timeout_ms;
};

#define PAYCARD_IOC_APDU	_IOWR(PAYCARD_IOC_MAGIC, 0x02, struct paycard_apdu)

#define PAYCARD_KEYPAD_OFF		0
#define PAYCARD_KEYPAD_FUNCTION		1
#define PAYCARD_KEYPAD_PIN		2

/**
 * PAYCARD_IOC_SET_KEYPAD - keypad mode
 * In PIN mode digits arrive as PAYCARD_EVENT_KEY events and the driver
 * zeroes every buffer that held them.  @pin_min/@pin_max: 4..12.
 */
struct paycard_keypad {
	__u8 mode;			/* PAYCARD_KEYPAD_* */
	__u8 pin_min;
	__u8 pin_max;
	__u8 timeout_s;			/* 0 = reader default */
	__u32 reserved;
};

#define PAYCARD_IOC_SET_KEYPAD	_IOW(PAYCARD_IOC_MAGIC, 0x03, struct paycard_keypad)

/**
 * PAYCARD_IOC_UI - LEDs and buzzer
 */
struct paycard_ui {
	__u16 led_mask;			/* which LEDs to change */
	__u16 led_on;			/* their new state */
	__u16 buzzer_ms;		/* 0 = silent, at most 5000 */
	__u16 reserved;
};

#define PAYCARD_IOC_UI		_IOW(PAYCARD_IOC_MAGIC, 0x04, struct paycard_ui)

/**
 * PAYCARD_IOC_ABORT - abort the command in flight (APDU, PIN entry);
 * the waiting caller gets -ECANCELED.
 */
#define PAYCARD_IOC_ABORT	_IO(PAYCARD_IOC_MAGIC, 0x05)

/**
 * PAYCARD_IOC_GET_STATS - protocol counters since bind
 */
struct paycard_stats {
	__u64 frames_rx;
	__u64 frames_tx;
	__u64 bad_crc;
	__u64 bad_length;
	__u64 bad_type;			/* unknown type or code */
	__u64 unmatched;		/* response answering no request */
	__u64 events_lost;		/* queue overflow */
	__u64 timeouts;
};

#define PAYCARD_IOC_GET_STATS	_IOR(PAYCARD_IOC_MAGIC, 0x06, struct paycard_stats)

/**
 * PAYCARD_IOC_RESET - reset the reader (card powered off, keypad off)
 */
#define PAYCARD_IOC_RESET	_IO(PAYCARD_IOC_MAGIC, 0x07)

#endif /* _UAPI_LINUX_PAYCARD_H */
