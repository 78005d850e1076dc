// SPDX-License-Identifier: MIT
/*
 * The listening side: TCP or TLS, a thread per connection (a terminal that
 * lost its answer reconnects while the old connection still lingers),
 * requests handled one at a time under a lock, frames with a 2-byte
 * big-endian length, and the transport faults (delay, no answer,
 * disconnect, reset, duplicate), which run outside the lock.
 */
#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "server.h"

/* A terminal that stops talking mid-frame is dropped after this long. */
#define IDLE_SECONDS	60

int hs_listen(const struct hs_config *cfg, char *bound_port, size_t size)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *ai;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd, one = 1;

	if (getaddrinfo(cfg->listen_host, cfg->listen_port, &hints, &ai)) {
		fprintf(stderr, "paycard-hostsim: cannot resolve %s\n", cfg->listen_host);
		return -1;
	}
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 8)) {
		fprintf(stderr, "paycard-hostsim: listen %s:%s: %s\n", cfg->listen_host,
			cfg->listen_port, strerror(errno));
		freeaddrinfo(ai);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	freeaddrinfo(ai);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	getnameinfo((struct sockaddr *)&ss, len, NULL, 0, bound_port, (socklen_t)size,
		    NI_NUMERICSERV);
	return fd;
}

SSL_CTX *hs_tls_context(const struct hs_config *cfg)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, cfg->tls_cert) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, cfg->tls_key, SSL_FILETYPE_PEM) != 1) {
		fprintf(stderr, "paycard-hostsim: TLS certificate/key unusable\n");
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (cfg->tls_client_ca[0]) {
		if (SSL_CTX_load_verify_locations(ctx, cfg->tls_client_ca, NULL) != 1) {
			SSL_CTX_free(ctx);
			return NULL;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
				   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	return ctx;
}

struct peer {
	int fd;
	SSL *ssl;
	bool abort;	/* end with a TCP reset: no TLS close_notify either */
};

static bool read_n(struct peer *p, uint8_t *buf, size_t n)
{
	for (size_t done = 0; done < n;) {
		long r = p->ssl ? SSL_read(p->ssl, buf + done, (int)(n - done))
				: recv(p->fd, buf + done, n - done, 0);

		if (r <= 0)
			return false;
		done += (size_t)r;
	}
	return true;
}

static bool write_n(struct peer *p, const uint8_t *buf, size_t n)
{
	if (p->ssl)
		return SSL_write(p->ssl, buf, (int)n) == (int)n;
	return send(p->fd, buf, n, MSG_NOSIGNAL) == (ssize_t)n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Returns false when the connection must end. */
static bool answer(struct peer *p, const struct hs_reply *reply)
{
	switch (reply->fault.kind) {
	case HS_FAULT_NO_ANSWER:
		return true;
	case HS_FAULT_DISCONNECT:
		return false;
	case HS_FAULT_RESET: {
		struct linger l = { 1, 0 };

		setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		p->abort = true;
		return false;
	}
	case HS_FAULT_DELAY:
		sleep_ms(reply->fault.delay_ms);
		break;
	default:
		break;
	}
	if (!reply->send || !write_n(p, reply->frame, reply->len))
		return false;
	if (reply->fault.kind == HS_FAULT_STAN_DUP)
		return write_n(p, reply->frame, reply->len);
	return true;
}

struct connection {
	struct hs_host *host;
	SSL_CTX *tls;
	struct peer peer;
	uint8_t frame[2 + 65535];
	struct hs_reply reply;
};

static pthread_mutex_t host_lock = PTHREAD_MUTEX_INITIALIZER;

static void serve_frames(struct connection *c)
{
	for (;;) {
		size_t body;

		if (!read_n(&c->peer, c->frame, 2))
			return;
		body = (size_t)c->frame[0] << 8 | c->frame[1];
		if (!read_n(&c->peer, c->frame + 2, body))
			return;
		pthread_mutex_lock(&host_lock);
		hs_handle_frame(c->host, c->frame, body + 2, &c->reply);
		pthread_mutex_unlock(&host_lock);
		if (!answer(&c->peer, &c->reply))
			return;
	}
}

static void *serve_connection(void *arg)
{
	struct connection *c = arg;
	struct peer *p = &c->peer;

	if (c->tls) {
		p->ssl = SSL_new(c->tls);
		SSL_set_fd(p->ssl, p->fd);
		if (SSL_accept(p->ssl) != 1) {
			fprintf(stderr, "paycard-hostsim: TLS handshake failed\n");
			ERR_clear_error();
			SSL_free(p->ssl);
			p->ssl = NULL;
		}
	}
	if (!c->tls || p->ssl)
		serve_frames(c);
	if (p->ssl) {
		if (!p->abort)
			SSL_shutdown(p->ssl);
		SSL_free(p->ssl);
	}
	close(p->fd);
	free(c);
	return NULL;
}

void hs_serve(struct hs_host *host, int lfd, SSL_CTX *tls)
{
	for (;;) {
		struct timeval idle = { IDLE_SECONDS, 0 };
		int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		struct connection *c;
		pthread_t thread;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			fprintf(stderr, "paycard-hostsim: accept: %s\n", strerror(errno));
			return;
		}
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		*c = (struct connection){ .host = host, .tls = tls, .peer = { fd, NULL, false } };
		if (pthread_create(&thread, NULL, serve_connection, c)) {
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(thread);
	}
}
