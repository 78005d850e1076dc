// SPDX-License-Identifier: MIT
#include "paycardd/bus/bus_server.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "paycardd/bus/authz.h"
#include "paycardd/bus/bus_objects.h"
#include "paycardd/daemon.h"
#include "paycardd/log.h"
#include "paycardd/bus/message_size.h"

#define USEC_PER_SEC	1000000ULL

struct client {
	struct client *next, *prev;
	struct bus_server *srv;
	sd_bus *bus;
	sd_event_source *timer;
	sd_bus_slot *filter;
	sd_bus_creds *creds;		/* the peer's, from SO_PEERCRED at auth */
	uint64_t last_usec;		/* CLOCK_MONOTONIC of the last message */
	unsigned id;
	unsigned holds;			/* long calls in progress */
	bool authenticated;
	const char *drop_reason;	/* set: freed by the post source */
};

struct bus_server {
	struct paycardd *d;
	bus_closed_fn on_closed;
	int listen_fd;
	char bound_path[108];		/* unlinked at exit; empty when activated */
	sd_event_source *accept_src;
	sd_event_source *post_src;
	struct client *clients;
	sd_id128_t id;
	struct bus_server_stats stats;
	unsigned next_id;
};

static uint64_t now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC_PER_SEC + (uint64_t)ts.tv_nsec / 1000;
}

static void client_drop(struct client *c, const char *reason, unsigned long *counter)
{
	if (c->drop_reason)
		return;
	c->drop_reason = reason;
	if (counter)
		(*counter)++;
}

static void client_free(struct client *c)
{
	struct bus_server *s = c->srv;

	log_debug("client %u: closed (%s)", c->id, c->drop_reason);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->stats.connections--;
	s->on_closed(s->d, c->bus);
	sd_event_source_disable_unref(c->timer);
	sd_bus_slot_unref(c->filter);
	sd_bus_creds_unref(c->creds);
	/* No flush: a client that stopped reading would block us. */
	sd_bus_close(c->bus);
	sd_bus_unref(c->bus);
	free(c);
}

static int arm_timer(struct client *c, uint64_t at)
{
	return sd_event_source_set_time(c->timer, at) < 0 ? -1 :
		sd_event_source_set_enabled(c->timer, SD_EVENT_ONESHOT);
}

static int on_timer(sd_event_source *src, uint64_t usec, void *user)
{
	struct client *c = user;
	const struct limits *lim = &c->srv->d->cfg.limits;
	uint64_t idle = (uint64_t)lim->idle_timeout_s * USEC_PER_SEC;

	if (!c->authenticated) {
		client_drop(c, "not authenticated in time", &c->srv->stats.dropped_auth);
		return 0;
	}
	if (c->holds == 0 && usec >= c->last_usec + idle) {
		client_drop(c, "idle", &c->srv->stats.dropped_idle);
		return 0;
	}
	arm_timer(c, (c->holds ? usec : c->last_usec) + idle);
	return 0;
}

/* Every incoming message: note activity, enforce the size cap. */
static int on_message(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct client *c = user;
	size_t size = message_size_estimate(m);

	c->last_usec = now_mono();
	if (size > c->srv->d->cfg.limits.max_message_size) {
		log_warning("client %u: message of about %zu bytes over the %u-byte cap: dropped",
			    c->id, size, c->srv->d->cfg.limits.max_message_size);
		client_drop(c, "message too large", &c->srv->stats.dropped_size);
		return 1;	/* consumed: never dispatched */
	}
	return 0;
}

static int client_setup(struct bus_server *s, struct client *c, int fd)
{
	int r;

	r = sd_bus_new(&c->bus);
	if (r < 0)
		return r;
	r = sd_bus_set_fd(c->bus, fd, fd);
	if (r < 0)
		return r;
	r = sd_bus_set_server(c->bus, 1, s->id);
	if (r >= 0)
		r = sd_bus_attach_event(c->bus, s->d->event, SD_EVENT_PRIORITY_NORMAL);
	if (r >= 0)
		r = bus_objects_register(s->d, c->bus, true);
	if (r >= 0)
		r = sd_bus_add_filter(c->bus, &c->filter, on_message, c);
	if (r >= 0)
		r = sd_event_add_time(s->d->event, &c->timer, CLOCK_MONOTONIC,
				      now_mono() + (uint64_t)s->d->cfg.limits.auth_timeout_s * USEC_PER_SEC,
				      0, on_timer, c);
	if (r >= 0)
		r = sd_bus_start(c->bus);
	return r;
}

static int on_accept(sd_event_source *src, int listen_fd, uint32_t revents, void *user)
{
	struct bus_server *s = user;
	struct client *c;
	int fd, r;

	fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return 0;	/* EAGAIN, or the peer went away already */
	if (s->stats.connections >= s->d->cfg.limits.max_connections) {
		s->stats.refused_full++;
		log_warning("connection refused: %u connections is the limit",
			    s->d->cfg.limits.max_connections);
		close(fd);
		return 0;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return 0;
	}
	c->srv = s;
	c->id = ++s->next_id;
	c->last_usec = now_mono();
	r = client_setup(s, c, fd);
	if (r < 0) {
		/* garbage already waiting at accept time fails here */
		log_info("client %u: closed at connect: %s", c->id, strerror(-r));
		s->stats.dropped_auth++;
		sd_event_source_disable_unref(c->timer);
		sd_bus_slot_unref(c->filter);
		if (c->bus)
			sd_bus_close_unref(c->bus);	/* closes fd */
		else
			close(fd);
		free(c);
		return 0;
	}
	c->next = s->clients;
	if (c->next)
		c->next->prev = c;
	s->clients = c;
	s->stats.connections++;
	s->stats.accepted++;
	log_debug("client %u: connected", c->id);
	return 0;
}

/*
 * After every dispatch: free dropped clients; when a client has just
 * authenticated, process it until idle (its first message may sit in
 * sd-bus's buffer with nothing left on the socket to wake us); drop any
 * client whose outgoing queue passed the cap (it stopped reading).
 */
static void client_settle(struct bus_server *s, struct client *c)
{
	const struct limits *lim = &s->d->cfg.limits;
	int r;

	if (!c->authenticated && sd_bus_is_ready(c->bus) > 0) {
		c->authenticated = true;
		sd_bus_get_owner_creds(c->bus, SD_BUS_CREDS_EUID | SD_BUS_CREDS_EGID |
				       SD_BUS_CREDS_SUPPLEMENTARY_GIDS, &c->creds);
		c->last_usec = now_mono();
		arm_timer(c, c->last_usec + (uint64_t)lim->idle_timeout_s * USEC_PER_SEC);
		while ((r = sd_bus_process(c->bus, NULL)) > 0 && !c->drop_reason)
			;
		if (r < 0)
			client_drop(c, r == -ECONNRESET || r == -ENOTCONN || r == -EPIPE ?
				    "disconnected" : "protocol error", NULL);
	}
	if (!c->drop_reason) {
		uint64_t queued = 0;

		if (sd_bus_get_n_queued_write(c->bus, &queued) >= 0 &&
		    queued > lim->max_queued_messages) {
			log_warning("client %u: %llu replies unread (cap %u): dropped",
				    c->id, (unsigned long long)queued, lim->max_queued_messages);
			client_drop(c, "not reading", &s->stats.dropped_queue);
		}
	}
	if (!c->drop_reason && sd_bus_is_open(c->bus) <= 0)
		client_drop(c, c->authenticated ? "disconnected" : "authentication failed",
			    c->authenticated ? NULL : &s->stats.dropped_auth);
}

static int on_post(sd_event_source *src, void *user)
{
	struct bus_server *s = user;
	struct client *c, *next;

	for (c = s->clients; c; c = next) {
		next = c->next;
		if (!c->drop_reason)
			client_settle(s, c);
		if (c->drop_reason)
			client_free(c);
	}
	return 0;
}

static int listen_on_path(const struct paycardd_config *cfg)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memcpy(sa.sun_path, cfg->socket_path, strlen(cfg->socket_path) + 1);
	/* a socket somebody still accepts on belongs to a running paycardd */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 || errno == EAGAIN) {
		close(fd);
		return -EADDRINUSE;
	}
	close(fd);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(cfg->socket_path);	/* a stale socket from an earlier run */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(cfg->socket_path, cfg->socket_mode) < 0 ||
	    listen(fd, 128) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

int bus_server_start(struct paycardd *d, int fd, bus_closed_fn on_closed,
		     struct bus_server **out)
{
	struct bus_server *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return -ENOMEM;
	s->d = d;
	s->on_closed = on_closed;
	s->listen_fd = fd >= 0 ? fd : listen_on_path(&d->cfg);
	if (fd < 0 && s->listen_fd >= 0)
		snprintf(s->bound_path, sizeof(s->bound_path), "%s", d->cfg.socket_path);
	if (s->listen_fd < 0) {
		r = s->listen_fd;
		log_error("%s: cannot listen: %s", d->cfg.socket_path, strerror(-r));
		free(s);
		return r;
	}
	r = sd_id128_randomize(&s->id);
	if (r >= 0)
		r = sd_event_add_io(d->event, &s->accept_src, s->listen_fd, EPOLLIN, on_accept, s);
	if (r >= 0)
		r = sd_event_add_post(d->event, &s->post_src, on_post, s);
	if (r >= 0)
		r = sd_event_source_set_enabled(s->post_src, SD_EVENT_ON);
	if (r < 0) {
		bus_server_free(s);
		return r;
	}
	*out = s;
	return 0;
}

void bus_server_free(struct bus_server *s)
{
	if (!s)
		return;
	while (s->clients) {
		client_drop(s->clients, "shutdown", NULL);
		client_free(s->clients);
	}
	sd_event_source_disable_unref(s->accept_src);
	sd_event_source_disable_unref(s->post_src);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->bound_path[0])
		unlink(s->bound_path);
	free(s);
}

void bus_server_foreach(struct bus_server *s, void (*fn)(sd_bus *bus, void *user), void *user)
{
	/* signals carry terminal state: only peers with a role (roles are
	 * evaluated now, so a reload takes effect at once) */
	for (struct client *c = s->clients; c; c = c->next)
		if (c->authenticated && !c->drop_reason && c->creds &&
		    authz_creds_role(c->creds, &s->d->cfg.roles) >= ROLE_CASHIER)
			fn(c->bus, user);
}

void bus_server_hold(struct bus_server *s, sd_bus *bus, int delta)
{
	for (struct client *c = s->clients; c; c = c->next) {
		if (c->bus != bus)
			continue;
		if (delta < 0 && c->holds > 0)
			c->holds--;
		else if (delta > 0)
			c->holds++;
		c->last_usec = now_mono();
		return;
	}
}

void bus_server_get_stats(struct bus_server *s, struct bus_server_stats *out)
{
	*out = s->stats;
}
