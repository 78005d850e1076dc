/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * paycard reader emulator: shared state.
 *
 * Threads: the link's own (USB: ep0 events), the command reader (host's
 * bytes), the writer (reader's bytes, fed by a queue so a host that stops
 * reading never blocks the control socket), the deferred-APDU timer and
 * the control socket.  One mutex guards the reader state; the writer
 * queue has its own.  The link (emu_link.h) is USB or SPI.
 */
#ifndef PAYCARD_EMU_H
#define PAYCARD_EMU_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emu_profile.h"
#include "emu_link.h"

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

/* Items for the writer (reader to host). */
enum emu_out_kind { EMU_OUT_DATA, EMU_OUT_HALT, EMU_OUT_UNPLUG };

struct emu_out {
	struct emu_out *next;
	enum emu_out_kind kind;
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
	uint16_t leds;
	uint16_t event_seq;
	enum emu_misbehave misbehave;
	uint32_t next_delay_ms;	/* defer the next APDU response */
	struct emu_deferred deferred;
	uint32_t commands;	/* counters for `status` */
	uint32_t apdus;
	uint32_t halts;		/* bulk IN halts that took effect (USB) */

	pthread_mutex_t out_lock;
	pthread_cond_t out_ready;
	struct emu_out *out_head, *out_tail;
};

/* emu_writer.c */
void emu_out_push(struct emu *e, enum emu_out_kind kind, const void *data,
		  size_t len);
void emu_out_flush(struct emu *e);
void *emu_writer_thread(void *arg);

/* emu_reader.c: the protocol, reader side */
void emu_handle_frame(struct emu *e, uint8_t type, uint8_t code, uint16_t seq,
		      const uint8_t *payload, uint32_t len);
void emu_send_event(struct emu *e, uint8_t code, const void *payload,
		    uint32_t len);
void emu_send_unsolicited_response(struct emu *e);
void *emu_command_thread(void *arg);
void *emu_deferred_thread(void *arg);
void emu_reset_state(struct emu *e);
uint64_t emu_now_ms(void);

/* emu_control.c */
int emu_control_listen(const char *path);
void *emu_control_thread(void *arg);

#endif /* PAYCARD_EMU_H */
