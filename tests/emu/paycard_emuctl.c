// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * paycard-emuctl: send one command to a running paycard-emu and print its
 * reply.  Exit status 0 when the reply starts with "ok".
 *
 *   paycard-emuctl [-s SOCKET] COMMAND [ARGS...]
 *   (default socket: $PAYCARD_EMU or /run/paycard-emu.sock)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_line(int fd, int argc, char **argv)
{
	char line[1024];
	size_t n = 0;

	for (int i = 0; i < argc; i++) {
		int w = snprintf(line + n, sizeof(line) - n, "%s%s",
				 i ? " " : "", argv[i]);

		if (w < 0 || (size_t)w >= sizeof(line) - n - 1)
			return -1;
		n += (size_t)w;
	}
	line[n++] = '\n';
	return write(fd, line, n) == (ssize_t)n ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *path = getenv("PAYCARD_EMU");
	char reply[512];
	size_t fill = 0;
	int fd;

	if (!path)
		path = "/run/paycard-emu.sock";
	if (argc > 2 && !strcmp(argv[1], "-s")) {
		path = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: paycard-emuctl [-s SOCKET] COMMAND [ARGS...]\n");
		return 2;
	}
	fd = connect_to(path);
	if (fd < 0 || send_line(fd, argc - 1, argv + 1)) {
		perror("paycard-emuctl");
		return 2;
	}
	while (fill < sizeof(reply) - 1 && !memchr(reply, '\n', fill)) {
		ssize_t n = read(fd, reply + fill, sizeof(reply) - 1 - fill);

		if (n <= 0)
			break;
		fill += (size_t)n;
	}
	reply[fill] = '\0';
	close(fd);
	fputs(reply, stdout);
	return strncmp(reply, "ok", 2) ? 1 : 0;
}
