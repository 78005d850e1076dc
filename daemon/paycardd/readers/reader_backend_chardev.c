// SPDX-License-Identifier: MIT
/* The kernel driver's character device, through the uapi only. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "paycardd/readers/reader_backend.h"

struct chardev_reader {
	struct reader_device base;
	int fd;
};

static struct chardev_reader *to_chardev(struct reader_device *dev)
{
	return (struct chardev_reader *)dev;
}

static int chardev_event_fd(struct reader_device *dev)
{
	return to_chardev(dev)->fd;
}

static int chardev_get_info(struct reader_device *dev, struct paycard_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(to_chardev(dev)->fd, PAYCARD_IOC_GET_INFO, info) < 0)
		return -errno;
	/* the driver NUL-terminates; do not trust it blindly */
	info->model[PAYCARD_STR_LEN - 1] = '\0';
	info->serial[PAYCARD_STR_LEN - 1] = '\0';
	info->firmware[PAYCARD_STR_LEN - 1] = '\0';
	info->transport[sizeof(info->transport) - 1] = '\0';
	return 0;
}

static int chardev_read_event(struct reader_device *dev, struct paycard_event *ev)
{
	ssize_t n = read(to_chardev(dev)->fd, ev, sizeof(*ev));

	if (n == (ssize_t)sizeof(*ev))
		return 1;
	if (n == 0)
		return -ENODEV;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0 && errno != ENODEV)
		return -errno;
	return n < 0 ? -ENODEV : -EIO;	/* short record: the ABI does not match */
}

static int chardev_abort(struct reader_device *dev)
{
	return ioctl(to_chardev(dev)->fd, PAYCARD_IOC_ABORT) < 0 ? -errno : 0;
}

static int chardev_set_keypad(struct reader_device *dev, const struct paycard_keypad *mode)
{
	return ioctl(to_chardev(dev)->fd, PAYCARD_IOC_SET_KEYPAD, mode) < 0 ? -errno : 0;
}

static int chardev_chip_power(struct reader_device *dev, bool on, uint8_t *atr, size_t *atr_len)
{
	struct paycard_chip_power p = { .on = on };

	if (ioctl(to_chardev(dev)->fd, PAYCARD_IOC_CHIP_POWER, &p) < 0)
		return -errno;
	if (on) {
		if (p.atr_len > PAYCARD_ATR_MAX)
			return -EIO;	/* the driver promised better */
		memcpy(atr, p.atr, p.atr_len);
		*atr_len = p.atr_len;
	}
	return 0;
}

static int chardev_apdu(struct reader_device *dev, const uint8_t *capdu, size_t capdu_len,
			uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct paycard_apdu a = {
		.cmd_ptr = (uintptr_t)capdu, .cmd_len = (uint32_t)capdu_len,
		.rsp_ptr = (uintptr_t)rapdu, .rsp_size = (uint32_t)rapdu_size,
	};

	if (ioctl(to_chardev(dev)->fd, PAYCARD_IOC_APDU, &a) < 0)
		return -errno;
	if (a.rsp_len > rapdu_size)
		return -EMSGSIZE;
	*rapdu_len = a.rsp_len;
	return 0;
}

static void chardev_close(struct reader_device *dev)
{
	close(to_chardev(dev)->fd);
	free(dev);
}

static const struct reader_backend_ops chardev_ops = {
	.name = "kernel",
	.event_fd = chardev_event_fd,
	.get_info = chardev_get_info,
	.read_event = chardev_read_event,
	.abort = chardev_abort,
	.set_keypad = chardev_set_keypad,
	.chip_power = chardev_chip_power,
	.apdu = chardev_apdu,
	.close = chardev_close,
};

int chardev_reader_open(const char *devnode, struct reader_device **out)
{
	struct chardev_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return -ENOMEM;
	r->fd = open(devnode, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (r->fd < 0) {
		int e = -errno;

		free(r);
		return e;
	}
	r->base.ops = &chardev_ops;
	*out = &r->base;
	return 0;
}
