// SPDX-License-Identifier: MIT
/* Byte I/O on a plain or TLS connection, one non-blocking attempt at a
 * time. */
#include <errno.h>
#include <openssl/err.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "hostlink/internal.h"

static enum hostlink_err errno_error(int err, char *detail)
{
	snprintf(detail, DETAIL_MAX, "%s", strerror(err));
	if (err == ECONNRESET || err == EPIPE)
		return HL_ERR_RESET;
	return HL_ERR_IO;
}

/*
 * OpenSSL writes with write(2), which raises SIGPIPE on a reset
 * connection.  A library must not change the process's signal handling,
 * so SIGPIPE is blocked in this thread around TLS writes and one raised by
 * the write itself is swallowed.
 */
struct sigpipe_guard {
	sigset_t old;
	bool was_pending;
};

static void sigpipe_block(struct sigpipe_guard *g)
{
	sigset_t pipe_set, pending;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	g->was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &g->old);
}

static void sigpipe_restore(struct sigpipe_guard *g)
{
	sigset_t pipe_set, pending;
	struct timespec zero = { 0, 0 };
	int saved = errno;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	if (!g->was_pending && sigismember(&pending, SIGPIPE))
		sigtimedwait(&pipe_set, NULL, &zero);
	pthread_sigmask(SIG_SETMASK, &g->old, NULL);
	errno = saved;
}

static int ssl_write_nosigpipe(SSL *ssl, const void *p, int n)
{
	struct sigpipe_guard g;
	int r;

	sigpipe_block(&g);
	r = SSL_write(ssl, p, n);
	sigpipe_restore(&g);
	return r;
}

/* Bytes moved (> 0), 0 on EOF, or -1 with *@wait set to the poll event
 * to wait for, or -2 with *@err set. */
static long ssl_io(struct conn *c, void *p, size_t n, bool writing,
		   short *wait, enum hostlink_err *err, char *detail)
{
	int chunk = n > 1 << 20 ? 1 << 20 : (int)n;
	int r, e;

	ERR_clear_error();
	errno = 0;
	r = writing ? ssl_write_nosigpipe(c->ssl, p, chunk)
		    : SSL_read(c->ssl, p, chunk);
	if (r > 0)
		return r;
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
		*wait = e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT;
		return -1;
	}
	if (e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno == 0))
		return 0;
	if (e == SSL_ERROR_SYSCALL) {
		*err = errno_error(errno, detail);
		return -2;
	}
	snprintf(detail, DETAIL_MAX, "TLS: %s",
		 ERR_reason_error_string(ERR_peek_error()) ?: "protocol error");
	ERR_clear_error();
	*err = HL_ERR_IO;
	return -2;
}

static long plain_io(struct conn *c, void *p, size_t n, bool writing,
		     short *wait, enum hostlink_err *err, char *detail)
{
	ssize_t r = writing ? send(c->fd, p, n, MSG_NOSIGNAL)
			    : recv(c->fd, p, n, 0);

	if (r >= 0)
		return r;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
		*wait = writing ? POLLOUT : POLLIN;
		return -1;
	}
	*err = errno_error(errno, detail);
	return -2;
}

long conn_io(struct conn *c, uint8_t *p, size_t n, bool writing, short *want,
	     enum hostlink_err *err, char *detail)
{
	return c->ssl ? ssl_io(c, p, n, writing, want, err, detail)
		      : plain_io(c, p, n, writing, want, err, detail);
}

void conn_close(struct conn *c)
{
	if (c->ssl) {
		struct sigpipe_guard g;

		sigpipe_block(&g);
		SSL_shutdown(c->ssl);	/* best effort close_notify, no wait */
		sigpipe_restore(&g);
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}
