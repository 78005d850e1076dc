/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * vspi-reader: a minimal reader on /dev/paycard-vspi for the SPI smoke test
 * (tests/vm-spi/run-smoke).  It answers HELLO and GET_INFO like a reader,
 * every other command with OK, and once identified sends one KEY event
 * (ENTER) per second, so the guest can read events from /dev/paycardN.
 * The full scenarios use the reader emulator (tests/emu/) on the same
 * device instead; this program only proves the SPI path end to end.
 *
 *   vspi-reader [DEVICE]      default /dev/paycard-vspi
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <paycard/frame.h>

static int write_all(int fd, const u8 *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EAGAIN) {
			usleep(1000);
			continue;
		}
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_frame(int fd, u8 type, u8 code, u16 seq, u16 status,
		      const u8 *payload, u32 len)
{
	u8 out[PCP_OVERHEAD + PCP_INFO_LEN];
	int n = pcp_frame_encode(out, sizeof(out), type, code, seq, status,
				 payload, len);

	return n < 0 ? -1 : write_all(fd, out, (size_t)n);
}

static void info_payload(u8 *p)
{
	memset(p, 0, PCP_INFO_LEN);
	p[0] = PCP_VERSION_MAJOR;
	p[1] = PCP_VERSION_MINOR;
	pcp_put_le32(p + 4, PCP_CAP_MSR | PCP_CAP_ICC | PCP_CAP_KEYPAD);
	pcp_put_le32(p + 8, 1024);
	pcp_put_le32(p + 12, 261);
	memcpy(p + 16, "VSPI smoke reader", 17);
	memcpy(p + 48, "VSPI0001", 8);
	memcpy(p + 80, "0.1.0", 5);
	p[112] = 16;
}

/* Answer one command; returns 1 once GET_INFO has been answered. */
static int answer(int fd, const struct pcp_frame *f)
{
	static const u8 version[PCP_HELLO_LEN] = { PCP_VERSION_MAJOR,
						   PCP_VERSION_MINOR };
	u8 info[PCP_INFO_LEN];

	switch (f->code) {
	case PCP_CMD_HELLO:
		send_frame(fd, PCP_TYPE_RESPONSE, f->code, f->seq, 0, version,
			   sizeof(version));
		return 0;
	case PCP_CMD_GET_INFO:
		info_payload(info);
		send_frame(fd, PCP_TYPE_RESPONSE, f->code, f->seq, 0, info,
			   sizeof(info));
		return 1;
	default:
		send_frame(fd, PCP_TYPE_RESPONSE, f->code, f->seq, 0, NULL, 0);
		return 0;
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/paycard-vspi";
	static u8 asm_buf[PCP_OVERHEAD + 1024];
	struct pcp_assembler a;
	struct pcp_frame f;
	u16 evt_seq = 0;
	int identified = 0, fd;
	u8 buf[512], key[PCP_KEY_EVENT_LEN] = { PCP_KEY_ENTER };
	time_t last_event = 0;

	fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	pcp_asm_init(&a, asm_buf, sizeof(asm_buf), 1024);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 100) < 0 && errno != EINTR)
			return 1;
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno != EAGAIN)
			return 1;
		for (size_t off = 0; n > 0 && off < (size_t)n;) {
			off += pcp_asm_feed(&a, buf + off, (size_t)n - off);
			while (pcp_asm_next(&a, &f))
				if (f.type == PCP_TYPE_COMMAND && answer(fd, &f))
					identified = 1;
		}
		if (identified && time(NULL) != last_event) {
			last_event = time(NULL);
			send_frame(fd, PCP_TYPE_EVENT, PCP_EVT_KEY, ++evt_seq,
				   0, key, sizeof(key));
		}
	}
}
