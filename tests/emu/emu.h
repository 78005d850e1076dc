/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * paycard reader emulator: shared state.
 *
 * Threads: the link's own (USB: ep0 events), the command reader (host's
 * bytes), the receive timer (drops a stalled partial frame), the writer
 * (reader's bytes, fed by a queue so a host that stops reading never
 * blocks the control socket), the reader timer (deferred APDU answers,
 * PIN inactivity) and the control socket.  One mutex guards the reader
 * state; the receive side and the writer queue have their own (lock
 * order: rx_lock, then lock).  The link (emu_link.h) is USB or SPI.
 */
#ifndef PAYCARD_EMU_H
#define PAYCARD_EMU_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_profile.h"
#include "emu_link.h"
#include "emu_rx.h"

/* One-shot misbehaviours, armed from the control socket. */
enum emu_misbehave {
	EMU_MB_NONE,
	EMU_MB_BAD_CRC,		/* next response: corrupted CRC (dropped by host) */
	EMU_MB_OVERSIZE,	/* next response replaced by a header with a huge len */
	EMU_MB_GARBAGE,		/* random bytes without magic before next response */
	EMU_MB_STALL,		/* halt bulk IN before next response (USB) */
	EMU_MB_DISCONNECT,	/* half of next response, then unplug */
};

struct emu_config {
	const char *spi;	/* SPI link on this device; NULL: USB */
	const char *name;	/* configfs gadget and FunctionFS instance */
	const char *udc;	/* NULL: first UDC in /sys/class/udc */
	const char *model;
	const char *serial;
	const char *firmware;
	const char *profile;	/* card profile for `insert` without argument */
	const char *control;	/* control socket path */
	uint32_t max_apdu;
};

/* PIN inactivity timeout when KEYPAD_MODE says 0 ("reader default"):
 * longer than the 300 s paycardd's own PIN timer can be set to, so the
 * host's timer is the one that fires (docs/reader-protocol.md 5.5). */
#define EMU_PIN_DEFAULT_TIMEOUT_S	600

/* Items for the writer (reader to host). */
enum emu_out_kind { EMU_OUT_DATA, EMU_OUT_HALT, EMU_OUT_UNPLUG };

struct emu_out {
	struct emu_out *next;
	enum emu_out_kind kind;
	bool hostile;			/* made by emu_hostile.c */
	unsigned int generation;	/* plug generation it was made in */
	size_t len;
	uint8_t data[];
};

struct emu_deferred {
	bool active;
	uint16_t seq;
	uint64_t due_ms;	/* CLOCK_MONOTONIC */
	uint8_t *rsp;
	size_t rsp_len;
};

struct emu {
	struct emu_config cfg;
	struct emu_link *link;
	int control_fd;

	pthread_mutex_t lock;	/* everything below */
	pthread_cond_t changed;
	bool card_present;
	bool powered;
	struct emu_profile card;
	uint8_t keypad_mode;
	uint32_t pin_timeout_ms;	/* PIN mode: the inactivity limit... */
	uint64_t pin_deadline_ms;	/* ...ends the entry then (monotonic) */
	uint16_t leds;
	uint16_t event_seq;
	enum emu_misbehave misbehave;
	uint32_t next_delay_ms;	/* defer the next APDU response */
	struct emu_deferred deferred;
	uint32_t commands;	/* counters for `status` */
	uint32_t apdus;
	uint32_t halts;		/* bulk IN halts that took effect (USB) */

	pthread_mutex_t rx_lock;	/* the host's bytes: rx */
	pthread_cond_t rx_changed;	/* CLOCK_MONOTONIC */
	struct emu_rx rx;

	pthread_mutex_t out_lock;	/* everything below */
	pthread_cond_t out_ready;
	pthread_cond_t out_room;	/* the writer took an item */
	struct emu_out *out_head, *out_tail;
	size_t out_bytes;		/* data queued */
	bool hostile_running;		/* the hostile reader (emu_hostile.c) */
	uint32_t hostile_sent;		/* its items written to the link */
	uint64_t write_max_us;		/* longest link write since it began */
};

/* emu_writer.c */
void emu_out_push(struct emu *e, enum emu_out_kind kind, const void *data,
		  size_t len);
/* The same, marking hostile items so the writer counts them. */
void emu_out_push_item(struct emu *e, enum emu_out_kind kind,
		       const void *data, size_t len, bool hostile);
void emu_out_flush(struct emu *e);
void *emu_writer_thread(void *arg);

/* emu_reader.c: the protocol, reader side */
void emu_handle_frame(struct emu *e, uint8_t type, uint8_t code, uint16_t seq,
		      const uint8_t *payload, uint32_t len);
void emu_send_event(struct emu *e, uint8_t code, const void *payload,
		    uint32_t len);
void emu_send_unsolicited_response(struct emu *e);
void *emu_command_thread(void *arg);
void *emu_rx_timer_thread(void *arg);
void *emu_deferred_thread(void *arg);
void emu_reset_state(struct emu *e);
/* A key pressed at @now_ms: reported (true) or dropped by the keypad
 * mode.  Called with e->lock held. */
bool emu_key_press(struct emu *e, int key, uint64_t now_ms);
/* The PIN inactivity timeout at @now_ms: when it has passed, the KEY
 * CANCEL event and keypad off (true).  Called with e->lock held. */
bool emu_pin_expire(struct emu *e, uint64_t now_ms);
/* When the PIN entry times out; 0 when the keypad is not in PIN mode. */
uint64_t emu_pin_deadline(const struct emu *e);
uint64_t emu_now_ms(void);	/* CLOCK_MONOTONIC */
uint64_t emu_now_us(void);

/* emu_hostile.c: send @count hostile items from a thread of its own;
 * -1 when a run is already going or the thread cannot start. */
int emu_hostile_start(struct emu *e, uint32_t count, uint64_t seed);

/* emu_control.c */
int emu_control_listen(const char *path);
void *emu_control_thread(void *arg);

#endif /* PAYCARD_EMU_H */
