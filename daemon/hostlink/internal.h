/* SPDX-License-Identifier: MIT */
/* Host link internals: deadlines, TCP connect, TLS, byte I/O. */
#ifndef PAYCARD_HOSTLINK_INTERNAL_H
#define PAYCARD_HOSTLINK_INTERNAL_H

#include <openssl/ssl.h>
#include <stdint.h>

#include "hostlink/hostlink.h"

#define DETAIL_MAX	160

/* One connection: plain when @ssl is NULL. */
struct conn {
	int fd;
	SSL *ssl;
};

/* Milliseconds on the monotonic clock. */
int64_t now_ms(void);
/* Milliseconds left before @deadline, at least 0. */
int ms_left(int64_t deadline);

/* Wait until @fd is ready for @events (POLLIN/POLLOUT) or the deadline. */
enum hostlink_err wait_fd(int fd, short events, int64_t deadline);

enum hostlink_err tcp_connect(const char *host, const char *port,
			      int64_t deadline, int *fd, char *detail);

SSL_CTX *tls_context_new(const struct hostlink_config *cfg, char *detail);
enum hostlink_err tls_handshake(SSL_CTX *ctx, int fd, const char *name,
				int64_t deadline, SSL **out, char *detail);

enum hostlink_err conn_write_all(struct conn *c, const uint8_t *p, size_t n,
				 int64_t deadline, char *detail);
/* Read exactly @n bytes.  EOF before the first byte of a frame is
 * HL_ERR_CLOSED when @at_frame_start, HL_ERR_SHORT_FRAME otherwise. */
enum hostlink_err conn_read_exact(struct conn *c, uint8_t *p, size_t n,
				  int64_t deadline, bool at_frame_start,
				  char *detail);
void conn_close(struct conn *c);

#endif
