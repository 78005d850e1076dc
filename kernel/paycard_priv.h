/* SPDX-License-Identifier: GPL-2.0 */
/*
 * paycard core internals, shared by the core's own files only (transports
 * see kernel/paycard_core.h).
 */
#ifndef _PAYCARD_PRIV_H
#define _PAYCARD_PRIV_H

#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/paycard.h>
#include <paycard/frame.h>

#include "paycard_core.h"

/* Events buffered per reader; a POS reader produces a few per second. */
#define PAYCARD_EVENT_QUEUE	64

/* Command timeouts (ms): identity queries and UI, chip power, reset. */
#define PAYCARD_TIMEOUT_SHORT	2000
#define PAYCARD_TIMEOUT_POWER	5000
#define PAYCARD_TIMEOUT_APDU	5000
#define PAYCARD_TIMEOUT_APDU_MAX 60000
#define PAYCARD_TIMEOUT_ABORT	1000

/* A partial frame older than this is dropped (reader stalled mid-frame). */
#define PAYCARD_RX_IDLE_MS	1000

/*
 * Floor of the receive limit set from GET_INFO's max_payload: every event
 * of protocol 1.0 fits (the largest, MSR, has 232 bytes) even if a reader
 * declares less for its own input.
 */
#define PAYCARD_MIN_PAYLOAD	256

enum paycard_cmd_state {
	PAYCARD_CMD_IDLE,	/* nothing in flight; responses are unmatched */
	PAYCARD_CMD_PENDING,	/* sent, waiting for the matching response */
	PAYCARD_CMD_DONE,	/* response copied, status valid */
	PAYCARD_CMD_CANCELLED,	/* PAYCARD_IOC_ABORT from userspace */
	PAYCARD_CMD_GONE,	/* device unplugged */
};

/**
 * struct paycard_cmd - the one command in flight (under paycard_device.lock)
 * @state: see enum paycard_cmd_state
 * @code: command code the response must echo
 * @seq: sequence number the response must echo
 * @stale_seq: seq of the last command abandoned on timeout, signal or
 *	abort; its late response is dropped quietly, not counted unmatched
 * @status: PCP_STATUS_* of the response
 * @rsp_len: response payload length (payload in paycard_device.rsp_buf)
 * @done: completed on response, cancel or unplug
 */
struct paycard_cmd {
	enum paycard_cmd_state state;
	u8 code;
	u16 seq;
	u16 stale_seq;
	u16 status;
	u32 rsp_len;
	struct completion done;
};

/**
 * struct paycard_device - one reader
 * @dev: class device; its refcount is the instance's lifetime (open files
 *	hold it through the cdev); the release callback frees everything
 * @cdev: /dev/paycardN
 * @ops: transport ops, NULL once unregistered; read under @ops_sem
 * @ops_sem: a running ops->send() holds it for reading; unregister takes it
 *	for writing to wait for that call and clear @ops (tpm_chip.ops_sem)
 * @transport: "usb", "spi"
 * @drvdata: transport private data
 * @cmd_lock: one command in flight; also serialises @tx_buf, @chip_on and
 *	@keypad_on
 * @chip_on: the card was powered on through this device
 * @keypad_on: a keypad mode other than OFF was set through this device
 * @suspended: commands refused between paycard_suspend() and _resume()
 * @lock: protects everything below, taken from the receive path (any
 *	context), so always with interrupts disabled
 * @dead: unplugged: every call returns -ENODEV
 * @open: a file is open (exclusive open); events are queued only then
 * @rx_asm: stream assembler over @rx_buf
 * @rx_idle: drops a partial frame when the reader stalls mid-frame
 * @cmd: the command in flight
 * @events: ring of @event_count events starting at @event_head
 * @scratch_event: where an event is parsed (to count it) when the ring is full
 * @event_lost: the next queued event gets PAYCARD_EVF_LOST
 * @last_evt_seq: reader's counter of the last event, to detect gaps
 * @have_evt_seq: @last_evt_seq is valid
 * @stats: counters for PAYCARD_IOC_GET_STATS (assembler ones added there)
 * @read_wait: readers and pollers
 * @info: identity from GET_INFO, fixed after paycard_register()
 * @max_payload: largest frame payload the reader accepts (from GET_INFO)
 * @keys: number of physical keys (from GET_INFO)
 * @leds: number of LEDs (from GET_INFO)
 * @next_seq: last command sequence number used
 * @rx_buf: assembler buffer, PCP_OVERHEAD + PCP_MAX_PAYLOAD bytes
 * @rsp_buf: payload of the matched response, PCP_MAX_PAYLOAD bytes
 * @tx_buf: frame being sent, PCP_MAX_FRAME bytes
 */
struct paycard_device {
	struct device dev;
	struct cdev cdev;

	const struct paycard_transport_ops *ops;
	struct rw_semaphore ops_sem;
	char transport[8];
	void *drvdata;

	struct mutex cmd_lock;		/* one command in flight */
	bool chip_on;
	bool keypad_on;
	bool suspended;

	spinlock_t lock;		/* rx path, events, cmd state */
	bool dead;
	bool open;
	struct pcp_assembler rx_asm;
	struct timer_list rx_idle;
	struct paycard_cmd cmd;
	struct paycard_event events[PAYCARD_EVENT_QUEUE];
	struct paycard_event scratch_event;
	unsigned int event_head;
	unsigned int event_count;
	bool event_lost;
	u16 last_evt_seq;
	bool have_evt_seq;
	struct paycard_stats stats;
	wait_queue_head_t read_wait;

	struct paycard_info info;
	u32 max_payload;
	u8 keys;
	u8 leds;
	u16 next_seq;

	u8 *rx_buf;
	u8 *rsp_buf;
	u8 *tx_buf;
};

/* paycard_cmd.c */
int paycard_transact(struct paycard_device *pd, u8 code, const void *payload,
		     u32 len, unsigned int timeout_ms, u32 *rsp_len);
int paycard_handshake(struct paycard_device *pd);
int paycard_cmd_lock(struct paycard_device *pd);
void paycard_cmd_unlock(struct paycard_device *pd);
int paycard_abort(struct paycard_device *pd);
bool paycard_cancel_pending(struct paycard_device *pd);

/* paycard_rx.c */
void paycard_rx_idle_expired(struct timer_list *t);
bool paycard_event_pop(struct paycard_device *pd, struct paycard_event *ev);
void paycard_events_flush(struct paycard_device *pd);	/* pd->lock held */

/* paycard_chardev.c */
extern const struct file_operations paycard_fops;

#endif /* _PAYCARD_PRIV_H */
