/* SPDX-License-Identifier: MIT */
/* Host link internals: deadlines, TCP connect, TLS, byte I/O, each one
 * non-blocking step at a time. */
#ifndef PAYCARD_HOSTLINK_INTERNAL_H
#define PAYCARD_HOSTLINK_INTERNAL_H

#include <netdb.h>
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

/* tcp.c: start a non-blocking connect to @ai (HL_IN_PROGRESS: wait for
 * POLLOUT), then finish it once the socket is writable. */
enum hostlink_err tcp_connect_start(const struct addrinfo *ai, int *fd,
				    char *detail);
enum hostlink_err tcp_connect_finish(int fd, char *detail);

/* tls.c */
SSL_CTX *tls_context_new(const struct hostlink_config *cfg, char *detail);
enum hostlink_err tls_start(SSL_CTX *ctx, int fd, const char *name, SSL **out,
			    char *detail);
/* HL_OK when done, HL_IN_PROGRESS with *@want set, or the failure. */
enum hostlink_err tls_handshake_step(SSL *ssl, short *want, char *detail);

/* io.c: move bytes once.  Returns bytes moved (> 0), 0 at end of stream,
 * -1 when it would block (*@want set), -2 on error (*@err set). */
long conn_io(struct conn *c, uint8_t *p, size_t n, bool writing, short *want,
	     enum hostlink_err *err, char *detail);
void conn_close(struct conn *c);

#endif
