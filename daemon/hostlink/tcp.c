// SPDX-License-Identifier: MIT
/* Non-blocking TCP connect with a deadline, errno mapped to link errors. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hostlink/internal.h"

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ms_left(int64_t deadline)
{
	int64_t left = deadline - now_ms();

	return left < 0 ? 0 : left > 0x7fffffff ? 0x7fffffff : (int)left;
}

enum hostlink_err wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = events };

	for (;;) {
		int r = poll(&p, 1, ms_left(deadline));

		if (r > 0)
			return HL_OK;	/* errors/hangup surface in the I/O call */
		if (r == 0)
			return HL_ERR_TIMEOUT;
		if (errno != EINTR)
			return HL_ERR_IO;
	}
}

static enum hostlink_err connect_errno(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return HL_ERR_REFUSED;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
		return HL_ERR_UNREACHABLE;
	case ETIMEDOUT:
		return HL_ERR_CONNECT_TIMEOUT;
	default:
		return HL_ERR_IO;
	}
}

static enum hostlink_err connect_one(const struct addrinfo *ai,
				     int64_t deadline, int *out, char *detail)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol), err = 0, one = 1;
	socklen_t len = sizeof(err);
	enum hostlink_err r;

	if (fd < 0) {
		snprintf(detail, DETAIL_MAX, "socket: %s", strerror(errno));
		return HL_ERR_IO;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		if (errno != EINPROGRESS) {
			err = errno;
		} else {
			r = wait_fd(fd, POLLOUT, deadline);
			if (r == HL_ERR_TIMEOUT) {
				snprintf(detail, DETAIL_MAX, "connect timed out");
				close(fd);
				return HL_ERR_CONNECT_TIMEOUT;
			}
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		}
	}
	if (err) {
		snprintf(detail, DETAIL_MAX, "connect: %s", strerror(err));
		close(fd);
		return connect_errno(err);
	}
	/* a request is one small write: do not let Nagle hold it back */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	*out = fd;
	return HL_OK;
}

enum hostlink_err tcp_connect(const char *host, const char *port,
			      int64_t deadline, int *fd, char *detail)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *list, *ai;
	enum hostlink_err r = HL_ERR_RESOLVE;
	int gai = getaddrinfo(host, port, &hints, &list);

	if (gai) {
		snprintf(detail, DETAIL_MAX, "%s: %s", host, gai_strerror(gai));
		return HL_ERR_RESOLVE;
	}
	for (ai = list; ai; ai = ai->ai_next) {
		r = connect_one(ai, deadline, fd, detail);
		if (r == HL_OK || r == HL_ERR_CONNECT_TIMEOUT)
			break;
	}
	freeaddrinfo(list);
	return r;
}
