// SPDX-License-Identifier: MIT
/*
 * Host link against real local servers (forked, one behaviour each) over
 * plain TCP and TLS: every failure the link promises to name.  TLS
 * material comes from tests/hostsim/gen-test-certs.sh, run at test time;
 * its directory is in $PAYCARD_TEST_CERTS.
 */
#include <errno.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "hostlink/hostlink.h"

enum behaviour {
	ECHO,		/* answer each frame with itself */
	LATE_ECHO,	/* the same, 100 ms later: the client must wait */
	SILENT,		/* read the frame, never answer */
	CLOSE,		/* read the frame, close */
	RESET,		/* read the frame, close with RST */
	SHORT,		/* announce 100 bytes, send 10, close */
	HUGE,		/* announce 65535 bytes */
	NOT_TLS,	/* answer a TLS client with plain text */
};

struct server {
	pid_t pid;
	char port[8];
};

static char certs[256];

static const char *cert(const char *name)
{
	static char paths[8][300];
	static int next;
	char *p = paths[next++ % 8];

	snprintf(p, 300, "%s/%s", certs, name);
	return p;
}

static int listen_any(char port[8])
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 4), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	snprintf(port, 8, "%u", ntohs(a.sin_port));
	return fd;
}

/* A port where nothing listens: bind, learn the number, close. */
static void dead_port(char port[8])
{
	close(listen_any(port));
}

/* ---- the server side (child process) ---- */

static SSL *server_tls(int fd, bool require_client_cert)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	SSL *ssl;

	if (SSL_CTX_use_certificate_chain_file(ctx, cert("server.pem")) != 1 ||
	    SSL_CTX_use_PrivateKey_file(ctx, cert("server.key"), SSL_FILETYPE_PEM) != 1)
		_exit(3);
	if (require_client_cert) {
		SSL_CTX_load_verify_locations(ctx, cert("ca.pem"), NULL);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER |
				   SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	}
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	if (SSL_accept(ssl) != 1)
		_exit(0);	/* the client's side of the failure is the test */
	return ssl;
}

static bool read_n(int fd, SSL *ssl, uint8_t *p, size_t n)
{
	for (size_t done = 0; done < n;) {
		long r = ssl ? SSL_read(ssl, p + done, (int)(n - done))
			     : read(fd, p + done, n - done);

		if (r <= 0)
			return false;
		done += (size_t)r;
	}
	return true;
}

static void write_n(int fd, SSL *ssl, const void *p, size_t n)
{
	if (ssl)
		SSL_write(ssl, p, (int)n);
	else if (write(fd, p, n) != (ssize_t)n)
		_exit(4);
}

static bool read_frame(int fd, SSL *ssl, uint8_t *buf, size_t *len)
{
	if (!read_n(fd, ssl, buf, 2))
		return false;
	*len = (size_t)buf[0] << 8 | buf[1];
	return read_n(fd, ssl, buf + 2, *len);
}

static void serve(int lfd, enum behaviour b, bool tls, bool client_cert)
{
	static uint8_t buf[70000];
	int fd = accept(lfd, NULL, NULL);
	SSL *ssl = NULL;
	size_t len;

	if (fd < 0)
		_exit(2);
	if (b == NOT_TLS) {
		write_n(fd, NULL, "HTTP/1.0 400 Bad Request\r\n\r\n", 28);
		close(fd);
		_exit(0);
	}
	if (tls)
		ssl = server_tls(fd, client_cert);
	while (read_frame(fd, ssl, buf, &len)) {
		switch (b) {
		case LATE_ECHO:
			usleep(100 * 1000);
			/* fall through */
		case ECHO:
			write_n(fd, ssl, buf, len + 2);
			continue;
		case SILENT:
			pause();
			break;
		case RESET: {
			struct linger l = { 1, 0 };

			setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
			close(fd);
			_exit(0);
		}
		case SHORT:
			write_n(fd, ssl, "\x00\x64" "0123456789", 12);
			break;
		case HUGE:
			write_n(fd, ssl, "\xff\xff", 2);
			pause();
			break;
		default:
			break;
		}
		break;
	}
	if (ssl)
		SSL_shutdown(ssl);
	close(fd);
	_exit(0);
}

static struct server start(enum behaviour b, bool tls, bool client_cert)
{
	struct server s;
	int lfd = listen_any(s.port);

	s.pid = fork();
	assert_true(s.pid >= 0);
	if (s.pid == 0)
		serve(lfd, b, tls, client_cert);
	close(lfd);
	return s;
}

static void stop(struct server *s)
{
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
}

/* ---- the client side ---- */

static const uint8_t frame[] = { 0x00, 0x05, 'h', 'e', 'l', 'l', 'o' };

static struct hostlink *link_to(const char *port, const char *backup_port,
				bool tls)
{
	struct hostlink_config cfg = {
		.hosts = { { "127.0.0.1", port },
			   { backup_port ? "127.0.0.1" : NULL, backup_port } },
		.tls = tls,
		.ca_file = cert("ca.pem"),
		.server_name = "localhost",
		.connect_timeout_ms = 2000,
		.io_timeout_ms = 300,
	};
	struct hostlink *hl;

	assert_int_equal(hostlink_new(&cfg, &hl), HL_OK);
	return hl;
}

static enum hostlink_err exchange(struct hostlink *hl)
{
	uint8_t buf[512];
	size_t len;
	enum hostlink_err err = hostlink_send(hl, frame, sizeof(frame));

	if (err)
		return err;
	err = hostlink_recv(hl, buf, sizeof(buf), &len);
	if (!err) {
		assert_int_equal(len, sizeof(frame));
		assert_memory_equal(buf, frame, len);
	}
	return err;
}

/* Connect (expecting success), exchange, expect @want, then clean up. */
static void expect_exchange(enum behaviour b, bool tls, enum hostlink_err want)
{
	struct server s = start(b, tls, false);
	struct hostlink *hl = link_to(s.port, NULL, tls);

	assert_int_equal(hostlink_connect(hl), HL_OK);
	assert_int_equal(exchange(hl), want);
	if (want != HL_OK)
		assert_false(hostlink_is_connected(hl));
	hostlink_free(hl);
	stop(&s);
}

static void test_echo_plain(void **state) { expect_exchange(ECHO, false, HL_OK); }
static void test_echo_tls(void **state) { expect_exchange(ECHO, true, HL_OK); }
static void test_closed_plain(void **state) { expect_exchange(CLOSE, false, HL_ERR_CLOSED); }
static void test_closed_tls(void **state) { expect_exchange(CLOSE, true, HL_ERR_CLOSED); }
static void test_reset_plain(void **state) { expect_exchange(RESET, false, HL_ERR_RESET); }
static void test_reset_tls(void **state) { expect_exchange(RESET, true, HL_ERR_RESET); }
static void test_short_plain(void **state) { expect_exchange(SHORT, false, HL_ERR_SHORT_FRAME); }
static void test_short_tls(void **state) { expect_exchange(SHORT, true, HL_ERR_SHORT_FRAME); }
static void test_huge_plain(void **state) { expect_exchange(HUGE, false, HL_ERR_FRAME_TOO_LONG); }

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void expect_timeout(bool tls)
{
	int64_t t0 = mono_ms(), took;

	expect_exchange(SILENT, tls, HL_ERR_TIMEOUT);
	took = mono_ms() - t0;
	/* io timeout is 300 ms: neither early nor much later */
	assert_true(took >= 290);
	assert_true(took < 2500);
}

static void test_timeout_plain(void **state) { expect_timeout(false); }
static void test_timeout_tls(void **state) { expect_timeout(true); }

static void test_refused(void **state)
{
	char port[8];
	struct hostlink *hl;
	const struct hostlink_attempt *a;
	size_t n;

	dead_port(port);
	hl = link_to(port, NULL, false);
	assert_int_equal(hostlink_connect(hl), HL_ERR_REFUSED);
	assert_false(hostlink_is_connected(hl));
	a = hostlink_attempts(hl, &n);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].err, HL_ERR_REFUSED);
	assert_non_null(strstr(hostlink_detail(hl), "refused"));
	assert_int_equal(exchange(hl), HL_ERR_NOT_CONNECTED);
	hostlink_free(hl);
}

static void failover(bool tls)
{
	char port[8];
	struct server backup = start(ECHO, tls, false);
	struct hostlink *hl;
	const struct hostlink_attempt *a;
	size_t n;

	dead_port(port);
	hl = link_to(port, backup.port, tls);
	assert_int_equal(hostlink_connect(hl), HL_OK);
	assert_int_equal(hostlink_current_host(hl), 1);
	a = hostlink_attempts(hl, &n);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].host, 0);
	assert_int_equal(a[0].err, HL_ERR_REFUSED);
	assert_int_equal(a[1].host, 1);
	assert_int_equal(a[1].err, HL_OK);
	assert_int_equal(exchange(hl), HL_OK);
	hostlink_free(hl);
	stop(&backup);
}

static void test_failover_plain(void **state) { failover(false); }
static void test_failover_tls(void **state) { failover(true); }

/* The primary answers TLS with a bad certificate name: fail over too. */
static void test_failover_after_tls_failure(void **state)
{
	struct server primary = start(NOT_TLS, false, false);
	struct server backup = start(ECHO, true, false);
	struct hostlink *hl = link_to(primary.port, backup.port, true);
	const struct hostlink_attempt *a;
	size_t n;

	assert_int_equal(hostlink_connect(hl), HL_OK);
	a = hostlink_attempts(hl, &n);
	assert_int_equal(n, 2);
	assert_int_equal(a[0].err, HL_ERR_TLS_HANDSHAKE);
	assert_int_equal(hostlink_current_host(hl), 1);
	assert_int_equal(exchange(hl), HL_OK);
	hostlink_free(hl);
	stop(&primary);
	stop(&backup);
}

static void test_both_hosts_down(void **state)
{
	char p1[8], p2[8];
	struct hostlink *hl;
	size_t n;

	dead_port(p1);
	dead_port(p2);
	hl = link_to(p1, p2, false);
	assert_int_equal(hostlink_connect(hl), HL_ERR_REFUSED);
	hostlink_attempts(hl, &n);
	assert_int_equal(n, 2);
	assert_int_equal(hostlink_current_host(hl), -1);
	hostlink_free(hl);
}

static void tls_connect_fails(const char *ca, const char *name,
			      enum behaviour b, enum hostlink_err want)
{
	struct server s = start(b, b != NOT_TLS, false);
	struct hostlink_config cfg = {
		.hosts = { { "127.0.0.1", s.port } },
		.tls = true, .ca_file = ca, .server_name = name,
		.connect_timeout_ms = 2000, .io_timeout_ms = 300,
	};
	struct hostlink *hl;

	assert_int_equal(hostlink_new(&cfg, &hl), HL_OK);
	assert_int_equal(hostlink_connect(hl), want);
	assert_false(hostlink_is_connected(hl));
	hostlink_free(hl);
	stop(&s);
}

static void test_tls_wrong_name(void **state)
{
	tls_connect_fails(cert("ca.pem"), "acquirer.example", ECHO, HL_ERR_TLS_VERIFY);
}

static void test_tls_unknown_ca(void **state)
{
	tls_connect_fails(cert("other-ca.pem"), "localhost", ECHO, HL_ERR_TLS_VERIFY);
}

static void test_tls_to_plain_server(void **state)
{
	tls_connect_fails(cert("ca.pem"), "localhost", NOT_TLS, HL_ERR_TLS_HANDSHAKE);
}

static void client_cert_case(bool give_cert)
{
	struct server s = start(ECHO, true, true);
	struct hostlink_config cfg = {
		.hosts = { { "localhost", s.port } },
		.tls = true, .ca_file = cert("ca.pem"),
		.cert_file = give_cert ? cert("client.pem") : NULL,
		.key_file = give_cert ? cert("client.key") : NULL,
		.connect_timeout_ms = 2000, .io_timeout_ms = 1000,
	};
	struct hostlink *hl;
	enum hostlink_err err;

	assert_int_equal(hostlink_new(&cfg, &hl), HL_OK);
	err = hostlink_connect(hl);
	if (!err)
		err = exchange(hl);
	if (give_cert) {
		assert_int_equal(err, HL_OK);
	} else {
		/* TLS 1.3 finishes the client's handshake before the server
		 * judges the client certificate: the refusal may arrive at the
		 * handshake or at the first read, never as success */
		assert_int_not_equal(err, HL_OK);
	}
	hostlink_free(hl);
	stop(&s);
}

static void test_tls_client_certificate(void **state) { client_cert_case(true); }
static void test_tls_client_certificate_missing(void **state) { client_cert_case(false); }

static void test_config_errors(void **state)
{
	struct hostlink_config none = { .hosts = { { NULL, NULL } } };
	struct hostlink_config no_ca = { .hosts = { { "127.0.0.1", "1" } }, .tls = true };
	struct hostlink_config bad_cert = {
		.hosts = { { "127.0.0.1", "1" } }, .tls = true,
		.ca_file = cert("ca.pem"), .cert_file = cert("client.pem"),
		.key_file = cert("server.key"),	/* not the certificate's key */
	};
	struct hostlink *hl;

	assert_int_equal(hostlink_new(&none, &hl), HL_ERR_CONFIG);
	assert_int_equal(hostlink_new(&no_ca, &hl), HL_ERR_CONFIG);
	assert_int_equal(hostlink_new(&bad_cert, &hl), HL_ERR_CONFIG);
}

static void test_resolve_failure(void **state)
{
	struct hostlink_config cfg = { .hosts = { { "no-such-host.invalid", "5000" } } };
	struct hostlink *hl;

	assert_int_equal(hostlink_new(&cfg, &hl), HL_OK);
	assert_int_equal(hostlink_connect(hl), HL_ERR_RESOLVE);
	hostlink_free(hl);
}

static void test_send_checks_prefix(void **state)
{
	static const uint8_t wrong[] = { 0x00, 0x09, 'h', 'e', 'l', 'l', 'o' };
	struct server s = start(ECHO, false, false);
	struct hostlink *hl = link_to(s.port, NULL, false);

	assert_int_equal(hostlink_connect(hl), HL_OK);
	assert_int_equal(hostlink_send(hl, wrong, sizeof(wrong)), HL_ERR_BAD_FRAME);
	assert_true(hostlink_is_connected(hl));	/* nothing was sent */
	assert_int_equal(exchange(hl), HL_OK);
	hostlink_free(hl);
	stop(&s);
}

/* A listener whose accept queue is full drops SYNs: connect times out. */
static void test_connect_timeout(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fillers[4];
	char port[8];
	struct hostlink_config cfg = { .connect_timeout_ms = 300 };
	struct hostlink *hl;
	int64_t t0;

	bind(lfd, (struct sockaddr *)&a, sizeof(a));
	listen(lfd, 0);
	getsockname(lfd, (struct sockaddr *)&a, &len);
	snprintf(port, sizeof(port), "%u", ntohs(a.sin_port));
	for (int i = 0; i < 4; i++) {	/* fill the queue (backlog 0 -> 1) */
		fillers[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(fillers[i], (struct sockaddr *)&a, sizeof(a));
	}
	usleep(50000);
	cfg.hosts[0] = (struct hostlink_host){ "127.0.0.1", port };
	assert_int_equal(hostlink_new(&cfg, &hl), HL_OK);
	t0 = mono_ms();
	assert_int_equal(hostlink_connect(hl), HL_ERR_CONNECT_TIMEOUT);
	assert_true(mono_ms() - t0 >= 290);
	hostlink_free(hl);
	for (int i = 0; i < 4; i++)
		close(fillers[i]);
	close(lfd);
}

/* Event-loop use: start, poll the fd for the wanted events until the
 * deadline, step; count the steps that reported HL_IN_PROGRESS. */
static enum hostlink_err drive(struct hostlink *hl, enum hostlink_err err,
			       int *waits)
{
	while (err == HL_IN_PROGRESS) {
		struct pollfd p = { hostlink_fd(hl), hostlink_events(hl), 0 };
		int64_t left = hostlink_deadline(hl) - mono_ms();

		assert_true(p.fd >= 0);
		assert_true(p.events == POLLIN || p.events == POLLOUT);
		poll(&p, 1, left > 0 ? (int)left : 0);
		(*waits)++;
		err = hostlink_step(hl);
	}
	return err;
}

static void nonblocking_exchange(bool tls)
{
	/* a late answer: on loopback an immediate one may already be queued
	 * when the receive starts, and nothing would prove the loop waited */
	struct server s = start(LATE_ECHO, tls, false);
	struct hostlink *hl = link_to(s.port, NULL, tls);
	const uint8_t *answer;
	size_t len;
	int waits = 0;

	assert_int_equal(drive(hl, hostlink_connect_start(hl), &waits), HL_OK);
	/* a loopback TCP connect may finish at once; a TLS handshake needs
	 * the server's answers, which the loop waited for */
	if (tls)
		assert_true(waits > 0);
	assert_int_equal(drive(hl, hostlink_send_start(hl, frame, sizeof(frame)),
			       &waits), HL_OK);
	waits = 0;
	assert_int_equal(drive(hl, hostlink_recv_start(hl, 1000), &waits), HL_OK);
	assert_true(waits > 0);		/* the answer was waited for, not blocked on */
	answer = hostlink_response(hl, &len);
	assert_non_null(answer);
	assert_int_equal(len, sizeof(frame));
	assert_memory_equal(answer, frame, len);
	/* one operation at a time: a second receive needs a READY link */
	assert_int_equal(hostlink_step(hl), HL_OK);
	hostlink_free(hl);
	stop(&s);
}

static void test_nonblocking_plain(void **state) { nonblocking_exchange(false); }
static void test_nonblocking_tls(void **state) { nonblocking_exchange(true); }

/* A timer alone (the fd never becomes ready) ends a silent receive. */
static void test_nonblocking_timeout_by_timer(void **state)
{
	struct server s = start(SILENT, false, false);
	struct hostlink *hl = link_to(s.port, NULL, false);
	enum hostlink_err err;

	assert_int_equal(hostlink_connect(hl), HL_OK);
	assert_int_equal(hostlink_send(hl, frame, sizeof(frame)), HL_OK);
	err = hostlink_recv_start(hl, 200);
	assert_int_equal(err, HL_IN_PROGRESS);
	assert_int_equal(hostlink_step(hl), HL_IN_PROGRESS);	/* too early */
	usleep(250000);
	assert_int_equal(hostlink_step(hl), HL_ERR_TIMEOUT);
	assert_false(hostlink_is_connected(hl));
	assert_int_equal(hostlink_fd(hl), -1);
	hostlink_free(hl);
	stop(&s);
}

int main(void)
{
	const char *dir = getenv("PAYCARD_TEST_CERTS");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_plain),
		cmocka_unit_test(test_echo_tls),
		cmocka_unit_test(test_closed_plain),
		cmocka_unit_test(test_closed_tls),
		cmocka_unit_test(test_reset_plain),
		cmocka_unit_test(test_reset_tls),
		cmocka_unit_test(test_short_plain),
		cmocka_unit_test(test_short_tls),
		cmocka_unit_test(test_huge_plain),
		cmocka_unit_test(test_timeout_plain),
		cmocka_unit_test(test_timeout_tls),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_failover_plain),
		cmocka_unit_test(test_failover_tls),
		cmocka_unit_test(test_failover_after_tls_failure),
		cmocka_unit_test(test_both_hosts_down),
		cmocka_unit_test(test_tls_wrong_name),
		cmocka_unit_test(test_tls_unknown_ca),
		cmocka_unit_test(test_tls_to_plain_server),
		cmocka_unit_test(test_tls_client_certificate),
		cmocka_unit_test(test_tls_client_certificate_missing),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_resolve_failure),
		cmocka_unit_test(test_send_checks_prefix),
		cmocka_unit_test(test_connect_timeout),
		cmocka_unit_test(test_nonblocking_plain),
		cmocka_unit_test(test_nonblocking_tls),
		cmocka_unit_test(test_nonblocking_timeout_by_timer),
	};

	if (!dir) {
		fprintf(stderr, "PAYCARD_TEST_CERTS not set\n");
		return 1;
	}
	snprintf(certs, sizeof(certs), "%s", dir);
	return cmocka_run_group_tests_name("hostlink", tests, NULL, NULL);
}
