/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * paycard-vmtest: the in-guest test client.  Each scenario talks to
 * /dev/paycardN through the uapi only, and drives the reader emulator
 * through its control socket.  A scenario returns 0 on success; on failure
 * it has printed why (one "  why: ..." line per problem).
 */
#ifndef PAYCARD_VMTEST_H
#define PAYCARD_VMTEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/paycard.h>
#include <linux/usbdevice_fs.h>

/* What the harness starts (tests/vm/guest/init): */
#define VT_SERIAL	"EMU0001"
#define VT_MODEL	"PC-EMU 100"
#define VT_FIRMWARE	"1.0.0"
#define VT_MAX_APDU	65544
#define VT_PROFILE	"/etc/paycard/cards/emv-test.card"
#define VT_MUTE_PROFILE	"/etc/paycard/cards/mute.card"
#define VT_EMU_SOCK	"/run/paycard-emu.sock"
#define VT_SERIAL2	"EMU0002"
#define VT_MODEL2	"PC-EMU 200"
#define VT_FIRMWARE2	"2.1.7"
#define VT_EMU_SOCK2	"/run/paycard-emu2.sock"

/* The ATR of profiles/emv-test.card. */
#define VT_ATR		"\x3b\x65\x00\x00\x9c\x11\x01\x01\x03"

#define VT_FAIL(...)	vt_fail(__func__, __LINE__, __VA_ARGS__)
#define VT_CHECK(cond)	do { if (!(cond)) { VT_FAIL("check failed: %s", #cond); return 1; } } while (0)

void vt_fail(const char *fn, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Emulator control: sends one command; returns 0 when the reply is "ok".
 * The reply (without newline) lands in @reply when not NULL. */
int vt_emu(const char *sock, char *reply, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define vt_emu1(...)	vt_emu(VT_EMU_SOCK, NULL, 0, __VA_ARGS__)

/* /dev node of the reader with @serial, waiting up to @timeout_ms for it
 * to appear; NULL on timeout.  Static buffer. */
const char *vt_dev_path(const char *serial, int timeout_ms);
/* Wait until no reader with @serial exists (0) or timeout (-1). */
int vt_wait_gone(const char *serial, int timeout_ms);
/* Open the reader with @serial (O_RDWR | @flags); -1 with errno. */
int vt_open(const char *serial, int flags);

/* Read one event within @timeout_ms: 1 read, 0 timeout, -1 error (errno). */
int vt_read_event(int fd, struct paycard_event *ev, int timeout_ms);
/* Discard queued events. */
void vt_drain(int fd);

/* ioctl helpers: return 0 or -errno. */
int vt_apdu(int fd, const void *cmd, uint32_t cmd_len, void *rsp,
	    uint32_t rsp_size, uint32_t *rsp_len, uint32_t timeout_ms);
/* GET CHALLENGE to the powered test card: 0, -EBADMSG for an answer that
 * is not the card's, or the APDU's error. */
int vt_probe(int fd, uint32_t timeout_ms);
int vt_power(int fd, bool on, struct paycard_chip_power *out);
int vt_keypad(int fd, uint8_t mode);
int vt_stats(int fd, struct paycard_stats *st);
int vt_ui(int fd, uint16_t mask, uint16_t on);

/* Insert the test card, take the INSERTED event and power it on. */
int vt_card_ready(int fd);
/* Open the test reader, drain its events and make the test card ready:
 * the fd, or -1 after saying why. */
int vt_open_with_card(void);
/* Remove the test card and close @fd. */
void vt_close_with_card(int fd);

uint64_t vt_now_us(void);
void vt_sleep_ms(int ms);
bool vt_file_equals(const char *path, const char *want);

/* Raw usbfs access to the emulated reader (no driver bound). */
struct vt_usb {
	int fd;
	char busdev[32];	/* "001/002" */
	unsigned int maxpacket;	/* bulk wMaxPacketSize: 64 full, 512 high speed */
	uint16_t seq;
	uint8_t *rx;		/* the IN byte stream, not yet decoded */
	size_t rx_fill;
	uint8_t *in_buf;	/* buffer of the IN URB kept submitted */
	bool in_pending;
	struct usbdevfs_urb *in_urb;
};
int vt_usb_open(struct vt_usb *u);
void vt_usb_close(struct vt_usb *u);
/* One command/response exchange; events in between are skipped.
 * Returns the response status (>= 0) or -errno; payload copied to @rsp. */
int vt_usb_cmd(struct vt_usb *u, uint8_t code, const void *payload,
	       uint32_t len, void *rsp, uint32_t rsp_size, uint32_t *rsp_len);
/* The two halves: send returns the command's seq (> 0) or -errno; wait
 * takes the response to (@seq, @code) and skips anything else. */
int vt_usb_send(struct vt_usb *u, uint8_t code, const void *payload,
		uint32_t len);
int vt_usb_wait(struct vt_usb *u, uint16_t seq, uint8_t code, void *rsp,
		uint32_t rsp_size, uint32_t *rsp_len);

/* The reader's transport in this boot: "usb" or "spi", from the
 * environment variable PAYCARD_VM_TRANSPORT (tests/vm/guest/init sets it;
 * "usb" when unset). */
const char *vt_transport(void);
bool vt_on_usb(void);

/* Scenarios */
typedef int (*vt_scenario_fn)(void);
struct vt_scenario {
	const char *name;
	vt_scenario_fn fn;
	/* NULL: runs on any transport; else only on this one ("usb": usbfs,
	 * packets, halts, a second UDC; "spi": the block layer's faults) */
	const char *transport;
};
extern const struct vt_scenario vt_basic_scenarios[];
extern const struct vt_scenario vt_unplug_scenarios[];
extern const struct vt_scenario vt_misbehave_scenarios[];
extern const struct vt_scenario vt_raw_scenarios[];
extern const struct vt_scenario vt_limit_scenarios[];
extern const struct vt_scenario vt_pm_scenarios[];
extern const struct vt_scenario vt_spi_scenarios[];
extern const struct vt_scenario vt_timing_scenarios[];
/* Run only by name (tests/vm/guest/init's hostile mode): minutes long. */
extern const struct vt_scenario vt_hostile_scenarios[];

int vt_bench(int rounds);

#endif /* PAYCARD_VMTEST_H */
