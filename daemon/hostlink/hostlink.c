// SPDX-License-Identifier: MIT
/*
 * Host link: configuration, primary/backup failover and length-prefixed
 * frames, as one non-blocking state machine (hostlink_step) that an event
 * loop drives; the blocking calls run the same machine in a poll loop.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostlink/internal.h"

#define DEFAULT_CONNECT_MS	10000
#define DEFAULT_IO_MS		30000
#define DEFAULT_MAX_FRAME	8192

enum phase {
	IDLE,		/* not connected */
	CONNECTING,	/* TCP connect in flight */
	HANDSHAKING,	/* TLS handshake in flight */
	READY,		/* connected, no operation */
	SENDING,
	RECEIVING,
};

struct hostlink {
	struct hostlink_config cfg;
	SSL_CTX *tls;
	struct conn conn;
	enum phase phase;
	short want;
	int64_t deadline;
	int current;		/* host connected to, -1 */
	/* connecting */
	int host;		/* host being tried */
	struct addrinfo *addrs, *addr;
	struct hostlink_attempt attempts[HOSTLINK_HOSTS];
	size_t n_attempts;
	/* transfers */
	uint8_t *buf;		/* max_frame bytes: the frame in flight */
	size_t len, done;
	bool have_response;
	char detail[DETAIL_MAX];
};

enum hostlink_err hostlink_new(const struct hostlink_config *cfg,
			       struct hostlink **out)
{
	struct hostlink *hl;

	if (!cfg->hosts[0].host || !cfg->hosts[0].port)
		return HL_ERR_CONFIG;
	hl = calloc(1, sizeof(*hl));
	if (!hl)
		return HL_ERR_IO;
	hl->cfg = *cfg;
	if (!hl->cfg.connect_timeout_ms)
		hl->cfg.connect_timeout_ms = DEFAULT_CONNECT_MS;
	if (!hl->cfg.io_timeout_ms)
		hl->cfg.io_timeout_ms = DEFAULT_IO_MS;
	if (hl->cfg.max_frame < 3)
		hl->cfg.max_frame = DEFAULT_MAX_FRAME;
	hl->conn.fd = -1;
	hl->current = -1;
	hl->buf = malloc(hl->cfg.max_frame);
	if (hl->buf && cfg->tls)
		hl->tls = tls_context_new(cfg, hl->detail);
	if (!hl->buf || (cfg->tls && !hl->tls)) {
		enum hostlink_err err = hl->buf ? HL_ERR_CONFIG : HL_ERR_IO;

		free(hl->buf);
		free(hl);
		return err;
	}
	*out = hl;
	return HL_OK;
}

static void drop_addresses(struct hostlink *hl)
{
	if (hl->addrs)
		freeaddrinfo(hl->addrs);
	hl->addrs = hl->addr = NULL;
}

void hostlink_free(struct hostlink *hl)
{
	if (!hl)
		return;
	hostlink_disconnect(hl);
	SSL_CTX_free(hl->tls);
	free(hl->buf);
	free(hl);
}

void hostlink_disconnect(struct hostlink *hl)
{
	conn_close(&hl->conn);
	drop_addresses(hl);
	hl->phase = IDLE;
	hl->current = -1;
}

bool hostlink_is_connected(const struct hostlink *hl)
{
	return hl->current >= 0;
}

int hostlink_current_host(const struct hostlink *hl)
{
	return hl->current;
}

const struct hostlink_attempt *hostlink_attempts(const struct hostlink *hl,
						 size_t *count)
{
	*count = hl->n_attempts;
	return hl->attempts;
}

const char *hostlink_detail(const struct hostlink *hl)
{
	return hl->detail;
}

int hostlink_fd(const struct hostlink *hl)
{
	return hl->conn.fd;
}

short hostlink_events(const struct hostlink *hl)
{
	return hl->want;
}

int64_t hostlink_deadline(const struct hostlink *hl)
{
	return hl->deadline;
}

const uint8_t *hostlink_response(const struct hostlink *hl, size_t *len)
{
	if (!hl->have_response)
		return NULL;
	*len = hl->len;
	return hl->buf;
}

/* ---- connecting: hosts in order, each host's addresses in order ---- */

static enum hostlink_err next_host(struct hostlink *hl);

/* Every host failed: the last attempt says why. */
static enum hostlink_err all_failed(struct hostlink *hl)
{
	hl->phase = IDLE;
	hl->want = 0;
	return hl->n_attempts ? hl->attempts[hl->n_attempts - 1].err : HL_ERR_CONFIG;
}

/* This host failed with @err: record it and go on with the next one. */
static enum hostlink_err host_failed(struct hostlink *hl, enum hostlink_err err)
{
	conn_close(&hl->conn);
	drop_addresses(hl);
	hl->attempts[hl->n_attempts++] = (struct hostlink_attempt){ hl->host, err };
	hl->host++;
	return next_host(hl);
}

static enum hostlink_err connected(struct hostlink *hl)
{
	drop_addresses(hl);
	hl->attempts[hl->n_attempts++] = (struct hostlink_attempt){ hl->host, HL_OK };
	hl->current = hl->host;
	hl->phase = READY;
	hl->want = 0;
	hl->detail[0] = '\0';
	return HL_OK;
}

static enum hostlink_err tls_begin(struct hostlink *hl)
{
	const struct hostlink_host *h = &hl->cfg.hosts[hl->host];
	enum hostlink_err err;

	if (!hl->tls)
		return connected(hl);
	err = tls_start(hl->tls, hl->conn.fd,
			hl->cfg.server_name ? hl->cfg.server_name : h->host,
			&hl->conn.ssl, hl->detail);
	if (err)
		return host_failed(hl, err);
	hl->phase = HANDSHAKING;
	return hostlink_step(hl);
}

/* Try the remaining addresses of the current host. */
static enum hostlink_err next_address(struct hostlink *hl, enum hostlink_err last)
{
	for (; hl->addr; hl->addr = hl->addr->ai_next) {
		enum hostlink_err err = tcp_connect_start(hl->addr, &hl->conn.fd,
							  hl->detail);

		if (err == HL_IN_PROGRESS) {
			hl->phase = CONNECTING;
			hl->want = POLLOUT;
			return HL_IN_PROGRESS;
		}
		if (err == HL_OK)
			return tls_begin(hl);
		conn_close(&hl->conn);
		last = err;
	}
	return host_failed(hl, last);
}

/* Start on hl->host or the next configured host after it. */
static enum hostlink_err next_host(struct hostlink *hl)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM };

	for (; hl->host < HOSTLINK_HOSTS; hl->host++) {
		const struct hostlink_host *h = &hl->cfg.hosts[hl->host];
		int gai;

		if (!h->host || !h->port)
			continue;
		hl->deadline = now_ms() + hl->cfg.connect_timeout_ms;
		gai = getaddrinfo(h->host, h->port, &hints, &hl->addrs);
		if (gai) {
			snprintf(hl->detail, DETAIL_MAX, "%s: %s", h->host,
				 gai_strerror(gai));
			hl->addrs = NULL;
			hl->attempts[hl->n_attempts++] =
				(struct hostlink_attempt){ hl->host, HL_ERR_RESOLVE };
			continue;
		}
		hl->addr = hl->addrs;
		return next_address(hl, HL_ERR_RESOLVE);
	}
	return all_failed(hl);
}

enum hostlink_err hostlink_connect_start(struct hostlink *hl)
{
	hostlink_disconnect(hl);
	hl->n_attempts = 0;
	hl->host = 0;
	return next_host(hl);
}

/* ---- frames ---- */

static enum hostlink_err fail(struct hostlink *hl, enum hostlink_err err)
{
	hostlink_disconnect(hl);
	return err;
}

enum hostlink_err hostlink_send_start(struct hostlink *hl, const uint8_t *frame,
				      size_t len)
{
	if (hl->phase != READY)
		return HL_ERR_NOT_CONNECTED;
	if (len < 2 || ((size_t)frame[0] << 8 | frame[1]) != len - 2)
		return HL_ERR_BAD_FRAME;	/* nothing sent: link still usable */
	if (len > hl->cfg.max_frame)
		return HL_ERR_FRAME_TOO_LONG;
	memcpy(hl->buf, frame, len);
	hl->len = len;
	hl->done = 0;
	hl->have_response = false;
	hl->phase = SENDING;
	hl->deadline = now_ms() + hl->cfg.io_timeout_ms;
	return hostlink_step(hl);
}

enum hostlink_err hostlink_recv_start(struct hostlink *hl, int timeout_ms)
{
	if (hl->phase != READY)
		return HL_ERR_NOT_CONNECTED;
	hl->len = 2;		/* the length prefix first */
	hl->done = 0;
	hl->have_response = false;
	hl->phase = RECEIVING;
	hl->deadline = now_ms() + timeout_ms;
	return hostlink_step(hl);
}

/* After the 2-byte prefix: how long the whole frame is. */
static enum hostlink_err frame_length_known(struct hostlink *hl)
{
	size_t body = (size_t)hl->buf[0] << 8 | hl->buf[1];

	if (body + 2 > hl->cfg.max_frame) {
		snprintf(hl->detail, DETAIL_MAX, "frame announces %zu bytes", body);
		return fail(hl, HL_ERR_FRAME_TOO_LONG);
	}
	hl->len = body + 2;
	return HL_IN_PROGRESS;
}

static enum hostlink_err transfer_step(struct hostlink *hl)
{
	bool writing = hl->phase == SENDING;

	while (hl->done < hl->len) {
		enum hostlink_err err = HL_OK;
		long r = conn_io(&hl->conn, hl->buf + hl->done, hl->len - hl->done,
				 writing, &hl->want, &err, hl->detail);

		if (r == -1)
			return HL_IN_PROGRESS;
		if (r == -2)
			return fail(hl, err);
		if (r == 0) {
			snprintf(hl->detail, DETAIL_MAX, "end of stream after %zu of "
				 "%zu bytes", hl->done, hl->len);
			return fail(hl, writing ? HL_ERR_RESET : hl->done == 0 ?
				    HL_ERR_CLOSED : HL_ERR_SHORT_FRAME);
		}
		hl->done += (size_t)r;
		if (!writing && hl->done == 2 && hl->len == 2 &&
		    frame_length_known(hl) != HL_IN_PROGRESS)
			return HL_ERR_FRAME_TOO_LONG;
	}
	hl->have_response = !writing;
	hl->phase = READY;
	hl->want = 0;
	return HL_OK;
}

static enum hostlink_err timed_out(struct hostlink *hl)
{
	if (hl->phase == CONNECTING || hl->phase == HANDSHAKING) {
		snprintf(hl->detail, DETAIL_MAX, "%s timed out",
			 hl->phase == CONNECTING ? "connect" : "TLS handshake");
		return host_failed(hl, HL_ERR_CONNECT_TIMEOUT);
	}
	snprintf(hl->detail, DETAIL_MAX, "timed out after %zu of %zu bytes",
		 hl->done, hl->len);
	return fail(hl, HL_ERR_TIMEOUT);
}

enum hostlink_err hostlink_step(struct hostlink *hl)
{
	enum hostlink_err err;

	switch (hl->phase) {
	case CONNECTING: {
		/* called on a timer too: only a writable socket has an answer */
		struct pollfd p = { .fd = hl->conn.fd, .events = POLLOUT };

		if (poll(&p, 1, 0) <= 0)
			break;
		err = tcp_connect_finish(hl->conn.fd, hl->detail);
		if (err == HL_OK)
			return tls_begin(hl);
		conn_close(&hl->conn);
		hl->addr = hl->addr->ai_next;
		return next_address(hl, err);
	}
	case HANDSHAKING:
		err = tls_handshake_step(hl->conn.ssl, &hl->want, hl->detail);
		if (err == HL_OK)
			return connected(hl);
		if (err != HL_IN_PROGRESS)
			return host_failed(hl, err);
		break;
	case SENDING:
	case RECEIVING:
		err = transfer_step(hl);
		if (err != HL_IN_PROGRESS)
			return err;
		break;
	case READY:
		return HL_OK;
	case IDLE:
		return HL_ERR_NOT_CONNECTED;
	}
	return now_ms() >= hl->deadline ? timed_out(hl) : HL_IN_PROGRESS;
}

/* ---- blocking calls: the machine in a poll loop ---- */

static enum hostlink_err run(struct hostlink *hl, enum hostlink_err err)
{
	while (err == HL_IN_PROGRESS) {
		struct pollfd p = { .fd = hl->conn.fd, .events = hl->want };

		if (poll(&p, 1, ms_left(hl->deadline)) < 0 && errno != EINTR)
			return fail(hl, HL_ERR_IO);
		err = hostlink_step(hl);
	}
	return err;
}

enum hostlink_err hostlink_connect(struct hostlink *hl)
{
	return run(hl, hostlink_connect_start(hl));
}

enum hostlink_err hostlink_send(struct hostlink *hl, const uint8_t *frame,
				size_t len)
{
	return run(hl, hostlink_send_start(hl, frame, len));
}

enum hostlink_err hostlink_recv_timeout(struct hostlink *hl, uint8_t *buf,
					size_t size, size_t *len,
					int timeout_ms)
{
	enum hostlink_err err = run(hl, hostlink_recv_start(hl, timeout_ms));

	if (err)
		return err;
	if (hl->len > size)
		return fail(hl, HL_ERR_FRAME_TOO_LONG);
	memcpy(buf, hl->buf, hl->len);
	*len = hl->len;
	return HL_OK;
}

enum hostlink_err hostlink_recv(struct hostlink *hl, uint8_t *buf,
				size_t size, size_t *len)
{
	return hostlink_recv_timeout(hl, buf, size, len, hl->cfg.io_timeout_ms);
}
