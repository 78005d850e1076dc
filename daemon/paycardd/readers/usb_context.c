// SPDX-License-Identifier: MIT
#include "paycardd/readers/usb_context.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>

#include "paycardd/log.h"

#define USB_FDS_MAX	32

struct usb_context {
	libusb_context *ctx;
	sd_event *event;
	struct {
		int fd;
		sd_event_source *src;
	} fds[USB_FDS_MAX];
};

static int on_usb_io(sd_event_source *s, int fd, uint32_t revents, void *user)
{
	struct usb_context *u = user;
	struct timeval zero = { 0 };

	libusb_handle_events_timeout_completed(u->ctx, &zero, NULL);
	return 0;
}

static void fd_added(int fd, short events, void *user)
{
	struct usb_context *u = user;
	uint32_t ev = ((events & POLLIN) ? EPOLLIN : 0) | ((events & POLLOUT) ? EPOLLOUT : 0);

	for (int i = 0; i < USB_FDS_MAX; i++) {
		if (u->fds[i].src)
			continue;
		if (sd_event_add_io(u->event, &u->fds[i].src, fd, ev, on_usb_io, u) < 0) {
			log_error("libusb: cannot watch fd %d", fd);
			return;
		}
		u->fds[i].fd = fd;
		return;
	}
	log_error("libusb: more than %d fds", USB_FDS_MAX);
}

static void fd_removed(int fd, void *user)
{
	struct usb_context *u = user;

	for (int i = 0; i < USB_FDS_MAX; i++) {
		if (u->fds[i].src && u->fds[i].fd == fd) {
			u->fds[i].src = sd_event_source_disable_unref(u->fds[i].src);
			return;
		}
	}
}

int usb_context_start(sd_event *event, struct usb_context **out)
{
	struct usb_context *u = calloc(1, sizeof(*u));
	const struct libusb_pollfd **pfds;
	int r;

	if (!u)
		return -ENOMEM;
	u->event = event;
	/* udev finds the readers: no libusb enumeration, no hotplug thread */
	libusb_set_option(NULL, LIBUSB_OPTION_NO_DEVICE_DISCOVERY);
	r = libusb_init(&u->ctx);
	if (r < 0) {
		log_error("libusb: %s", libusb_strerror(r));
		free(u);
		return -EIO;
	}
	if (!libusb_pollfds_handle_timeouts(u->ctx))
		log_warning("libusb needs timeout polling; transfers may time out late");
	libusb_set_pollfd_notifiers(u->ctx, fd_added, fd_removed, u);
	pfds = libusb_get_pollfds(u->ctx);
	for (int i = 0; pfds && pfds[i]; i++)
		fd_added(pfds[i]->fd, pfds[i]->events, u);
	libusb_free_pollfds(pfds);
	*out = u;
	return 0;
}

void usb_context_free(struct usb_context *u)
{
	if (!u)
		return;
	libusb_set_pollfd_notifiers(u->ctx, NULL, NULL, NULL);
	for (int i = 0; i < USB_FDS_MAX; i++)
		sd_event_source_disable_unref(u->fds[i].src);
	libusb_exit(u->ctx);
	free(u);
}

libusb_context *usb_context_libusb(struct usb_context *u)
{
	return u->ctx;
}
