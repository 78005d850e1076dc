// SPDX-License-Identifier: MIT
/* Clock helpers and the non-blocking TCP connect, errno mapped to link
 * errors. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

enum hostlink_err tcp_connect_start(const struct addrinfo *ai, int *fd,
				    char *detail)
{
	int one = 1;

	*fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		     ai->ai_protocol);
	if (*fd < 0) {
		snprintf(detail, DETAIL_MAX, "socket: %s", strerror(errno));
		return HL_ERR_IO;
	}
	/* a request is one small write: do not let Nagle hold it back */
	setsockopt(*fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(*fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return HL_OK;
	if (errno == EINPROGRESS)
		return HL_IN_PROGRESS;
	snprintf(detail, DETAIL_MAX, "connect: %s", strerror(errno));
	return connect_errno(errno);
}

enum hostlink_err tcp_connect_finish(int fd, char *detail)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (!err)
		return HL_OK;
	snprintf(detail, DETAIL_MAX, "connect: %s", strerror(err));
	return connect_errno(err);
}
