// SPDX-License-Identifier: MIT
/*
 * Round-trip time of a paycardd method call over its socket against a raw
 * Unix stream socket echo of a message of the same size, both measured the
 * same way (sequential, one in flight).
 *
 *   bench_rtt dbus ADDRESS N   sd-bus client: Terminal1.GetCallerRole
 *   bench_rtt ping ADDRESS N   sd-bus client: Peer.Ping (answered inside
 *                              sd-bus: the floor without paycardd's code)
 *   bench_rtt echo N           a forked echo server on a socketpair
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#define ECHO_SIZE	200	/* about a GetCallerRole call plus its reply, each way */

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int bench_dbus(const char *address, long n, bool ping)
{
	sd_bus *bus = NULL;
	double t0;
	int r;

	if (sd_bus_new(&bus) < 0 || sd_bus_set_address(bus, address) < 0 ||
	    sd_bus_set_bus_client(bus, 1) < 0 || sd_bus_start(bus) < 0) {
		fprintf(stderr, "cannot connect to %s\n", address);
		return 1;
	}
	t0 = now_us();
	for (long i = 0; i < n; i++) {
		sd_bus_message *reply = NULL;
		sd_bus_error err = SD_BUS_ERROR_NULL;

		r = sd_bus_call_method(bus, "org.paycard", "/org/paycard/terminal",
				       ping ? "org.freedesktop.DBus.Peer" : "org.paycard.Terminal1",
				       ping ? "Ping" : "GetCallerRole", &err, &reply, NULL);
		sd_bus_message_unref(reply);
		sd_bus_error_free(&err);
		if (r < 0) {
			fprintf(stderr, "call failed: %s\n", strerror(-r));
			return 1;
		}
	}
	printf("%s_rtt_us %.2f\n", ping ? "ping" : "dbus", (now_us() - t0) / n);
	sd_bus_flush_close_unref(bus);
	return 0;
}

static int read_full(int fd, char *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t k = read(fd, buf + got, len - got);

		if (k <= 0)
			return -1;
		got += (size_t)k;
	}
	return 0;
}

static int bench_echo(long n)
{
	char buf[ECHO_SIZE] = { 0 };
	int sv[2];
	pid_t child;
	double t0;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 1;
	child = fork();
	if (child == 0) {
		close(sv[0]);
		while (read_full(sv[1], buf, sizeof(buf)) == 0)
			if (write(sv[1], buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				break;
		_exit(0);
	}
	close(sv[1]);
	t0 = now_us();
	for (long i = 0; i < n; i++)
		if (write(sv[0], buf, sizeof(buf)) != (ssize_t)sizeof(buf) ||
		    read_full(sv[0], buf, sizeof(buf)) < 0)
			return 1;
	printf("echo_rtt_us %.2f\n", (now_us() - t0) / n);
	close(sv[0]);
	waitpid(child, NULL, 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && (strcmp(argv[1], "dbus") == 0 || strcmp(argv[1], "ping") == 0))
		return bench_dbus(argv[2], atol(argv[3]), strcmp(argv[1], "ping") == 0);
	if (argc == 3 && strcmp(argv[1], "echo") == 0)
		return bench_echo(atol(argv[2]));
	fprintf(stderr, "usage: bench_rtt dbus|ping ADDRESS N | echo N\n");
	return 2;
}
