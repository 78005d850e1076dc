/* SPDX-License-Identifier: MIT */
/*
 * Link to the acquirer host: TCP, optionally TLS (OpenSSL), to a primary
 * and a backup host, carrying frames that start with a 2-byte big-endian
 * length of what follows (the ISO 8583 wire frame).  Calls block for at
 * most their timeout; every failure is a distinct error so the caller can
 * decide between failover, reversal and telling the operator.
 */
#ifndef PAYCARD_HOSTLINK_HOSTLINK_H
#define PAYCARD_HOSTLINK_HOSTLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum hostlink_err {
	HL_OK = 0,
	HL_ERR_CONFIG,		/* no host, or CA/certificate/key unusable */
	HL_ERR_RESOLVE,		/* host name does not resolve */
	HL_ERR_REFUSED,		/* connection refused (nothing listens) */
	HL_ERR_UNREACHABLE,	/* network or host unreachable */
	HL_ERR_CONNECT_TIMEOUT,	/* no TCP connection within the timeout */
	HL_ERR_TLS_HANDSHAKE,	/* TLS handshake failed (protocol, peer) */
	HL_ERR_TLS_VERIFY,	/* server certificate or name not accepted */
	HL_ERR_TIMEOUT,		/* frame not (fully) received/sent in time */
	HL_ERR_RESET,		/* connection reset by the peer */
	HL_ERR_CLOSED,		/* peer closed before sending a frame */
	HL_ERR_SHORT_FRAME,	/* peer closed inside a frame */
	HL_ERR_FRAME_TOO_LONG,	/* announced length above the limit */
	HL_ERR_BAD_FRAME,	/* frame to send disagrees with its prefix */
	HL_ERR_NOT_CONNECTED,	/* no connection (or closed after an error) */
	HL_ERR_IO,		/* any other socket error */
	HL_IN_PROGRESS,		/* not an error: step again when the fd is
				 * ready or the deadline passes */
};

#define HOSTLINK_HOSTS	2	/* primary, backup */

struct hostlink_host {
	const char *host;	/* name or address; NULL = not configured */
	const char *port;	/* service name or number */
};

struct hostlink_config {
	struct hostlink_host hosts[HOSTLINK_HOSTS];
	bool tls;
	const char *ca_file;	/* PEM CA bundle; required with TLS */
	const char *cert_file;	/* optional client certificate (PEM) */
	const char *key_file;	/* its private key (PEM) */
	const char *server_name;	/* name the certificate must carry;
					 * NULL = the host's own name */
	int connect_timeout_ms;	/* TCP connect + TLS handshake; 0 = 10 s */
	int io_timeout_ms;	/* one send or receive of a frame; 0 = 30 s */
	size_t max_frame;	/* largest frame accepted; 0 = 8192 */
};

/* One connection attempt, as tried by hostlink_connect(). */
struct hostlink_attempt {
	int host;		/* 0 primary, 1 backup */
	enum hostlink_err err;
};

struct hostlink;

const char *hostlink_strerror(enum hostlink_err err);

/* Check the configuration and prepare TLS; does not connect.  The
 * strings in @cfg must outlive the link. */
enum hostlink_err hostlink_new(const struct hostlink_config *cfg,
			       struct hostlink **out);
void hostlink_free(struct hostlink *hl);

/* Connect to the primary, else the backup.  On failure the error of the
 * last attempt is returned; hostlink_attempts() lists them all. */
enum hostlink_err hostlink_connect(struct hostlink *hl);
void hostlink_disconnect(struct hostlink *hl);
bool hostlink_is_connected(const struct hostlink *hl);
/* Host index of the current connection, -1 when not connected. */
int hostlink_current_host(const struct hostlink *hl);
const struct hostlink_attempt *hostlink_attempts(const struct hostlink *hl,
						 size_t *count);
/* Text of the last error's cause (errno or TLS reason), for diagnostics. */
const char *hostlink_detail(const struct hostlink *hl);

/*
 * Send one frame (@len bytes, starting with its own 2-byte length) and
 * receive one (into @buf, with its prefix; *@len set).  Any error closes
 * the connection: its state is unknown.
 */
enum hostlink_err hostlink_send(struct hostlink *hl, const uint8_t *frame,
				size_t len);
enum hostlink_err hostlink_recv(struct hostlink *hl, uint8_t *buf,
				size_t size, size_t *len);
/* Receive with a timeout other than the configured one (e.g. to wait
 * for a late duplicate).  @timeout_ms >= 0. */
enum hostlink_err hostlink_recv_timeout(struct hostlink *hl, uint8_t *buf,
					size_t size, size_t *len,
					int timeout_ms);

/*
 * The same operations without blocking, for an event loop (sd-event):
 * start one, then watch hostlink_fd() for hostlink_events() with a timer
 * at hostlink_deadline() (CLOCK_MONOTONIC, ms) and call hostlink_step()
 * on either until it returns something other than HL_IN_PROGRESS.  One
 * operation at a time.  The blocking calls above are these in a poll loop.
 * Name resolution (getaddrinfo) still blocks: configure addresses.
 */
enum hostlink_err hostlink_connect_start(struct hostlink *hl);
enum hostlink_err hostlink_send_start(struct hostlink *hl, const uint8_t *frame,
				      size_t len);
enum hostlink_err hostlink_recv_start(struct hostlink *hl, int timeout_ms);
enum hostlink_err hostlink_step(struct hostlink *hl);
int hostlink_fd(const struct hostlink *hl);
short hostlink_events(const struct hostlink *hl);	/* POLLIN / POLLOUT */
int64_t hostlink_deadline(const struct hostlink *hl);
/* The frame received by the last completed receive (with its prefix);
 * valid until the next operation. */
const uint8_t *hostlink_response(const struct hostlink *hl, size_t *len);

#endif
