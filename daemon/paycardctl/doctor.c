// SPDX-License-Identifier: MIT
/*
 * paycardctl doctor: check each layer from the bottom up and name the first
 * one that fails, so "sign-in does not work" becomes "the reader is pending
 * approval" or "the host's TLS handshake fails".
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timex.h>
#include <time.h>
#include <unistd.h>

#include "paycardctl/bus_client.h"
#include "paycardctl/commands.h"
#include "paycardctl/host_link.h"
#include "paycardctl/output.h"

enum verdict { CHECK_OK, CHECK_WARN, CHECK_FAIL, CHECK_SKIP };

struct check {
	const char *layer;
	enum verdict verdict;
	char detail[256];
};

#define CHECKS_MAX 12
#define CLOCK_SANE_AFTER 1704067200	/* 2024-01-01: anything earlier is a dead RTC */

struct report {
	struct check checks[CHECKS_MAX];
	int n;
};

__attribute__((format(printf, 4, 5)))
static void add(struct report *rep, const char *layer, enum verdict v, const char *fmt, ...)
{
	struct check *c = &rep->checks[rep->n++];
	va_list ap;

	c->layer = layer;
	c->verdict = v;
	va_start(ap, fmt);
	vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
	va_end(ap);
}

static bool check_daemon(struct ctl *c, struct report *rep)
{
	char role[32];
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	const char *r_role = "";
	int r = client_connect(c->socket_path, c->system_bus, true, &c->bus);

	if (r < 0) {
		add(rep, "daemon", CHECK_FAIL, "paycardd does not answer on %s (%s): is paycardd.service running?",
		    c->system_bus ? "the system bus" : c->socket_path, strerror(-r));
		return false;
	}
	add(rep, "daemon", CHECK_OK, "paycardd answers on %s",
	    c->system_bus ? "the system bus" : c->socket_path);
	r = sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "GetCallerRole",
			       &err, &reply, NULL);
	if (r >= 0)
		sd_bus_message_read(reply, "s", &r_role);
	snprintf(role, sizeof(role), "%s", r_role);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
	if (r < 0 || strcmp(role, "none") == 0) {
		add(rep, "permission", CHECK_FAIL,
		    "uid %u has no role in paycardd.conf [roles]: ask the administrator", getuid());
		return false;
	}
	add(rep, "permission", CHECK_OK, "caller role: %s", role);
	return true;
}

static bool check_module(struct ctl *c, struct report *rep)
{
	char state[128];

	client_get_string(c->bus, TERMINAL_PATH, TERMINAL_IFACE, "ModuleState", state, sizeof(state));
	if (strncmp(state, "loaded, ABI", 11) == 0) {
		add(rep, "kernel module", CHECK_OK, "paycard %s", state);
		return true;
	}
	if (strncmp(state, "not used", 8) == 0) {
		add(rep, "kernel module", CHECK_SKIP, "%s", state);
		return false;	/* no device nodes to look at either */
	}
	add(rep, "kernel module", CHECK_FAIL, "paycard module %s", state);
	return false;
}

static void check_device_nodes(struct report *rep)
{
	glob_t g = { 0 };
	int bad = 0;

	if (glob("/dev/paycard[0-9]*", 0, NULL, &g) != 0 || g.gl_pathc == 0) {
		add(rep, "device nodes", CHECK_FAIL, "no /dev/paycardN: no reader bound to the driver");
		globfree(&g);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct stat st;
		struct group *gr;

		if (stat(g.gl_pathv[i], &st) < 0 || !S_ISCHR(st.st_mode)) {
			add(rep, "device nodes", CHECK_FAIL, "%s is not a character device", g.gl_pathv[i]);
			bad++;
		} else if (st.st_mode & 0006) {
			add(rep, "device nodes", CHECK_FAIL,
			    "%s is accessible to everybody (mode %o): the udev rule is missing",
			    g.gl_pathv[i], st.st_mode & 0777);
			bad++;
		} else if (!(gr = getgrgid(st.st_gid)) || strcmp(gr->gr_name, "paycard") != 0) {
			add(rep, "device nodes", CHECK_WARN, "%s group is not paycard", g.gl_pathv[i]);
			bad++;
		}
		if (bad)
			break;
	}
	if (!bad)
		add(rep, "device nodes", CHECK_OK, "%zu node(s), mode and group as the udev rule sets",
		    g.gl_pathc);
	globfree(&g);
}

static void check_readers(struct ctl *c, struct report *rep)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char **paths = NULL;
	char pending[64] = "";
	int usable = 0, present = 0;

	if (sd_bus_call_method(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE, "ListReaders",
			       &err, &reply, NULL) >= 0)
		sd_bus_message_read_strv(reply, &paths);
	for (char **p = paths; p && *p; p++) {
		bool is_present, approved;

		client_get_bool(c->bus, *p, READER_IFACE, "Present", &is_present);
		client_get_bool(c->bus, *p, READER_IFACE, "Approved", &approved);
		present += is_present;
		usable += is_present && approved;
		if (is_present && !approved)
			client_get_string(c->bus, *p, READER_IFACE, "Serial", pending, sizeof(pending));
		free(*p);
	}
	free(paths);
	sd_bus_message_unref(reply);
	sd_bus_error_free(&err);
	if (usable && pending[0])
		add(rep, "reader", CHECK_WARN,
		    "%d reader(s) usable; serial %s waits for approval (paycardctl approve %s)",
		    usable, pending, pending);
	else if (usable)
		add(rep, "reader", CHECK_OK, "%d reader(s) present and approved", usable);
	else if (pending[0])
		add(rep, "reader", CHECK_FAIL,
		    "reader serial %s is not the recorded one: a supervisor must approve it (paycardctl approve %s)",
		    pending, pending);
	else
		add(rep, "reader", CHECK_FAIL, present ? "no approved reader" : "no reader connected");
}

static void check_keystore(struct ctl *c, struct report *rep)
{
	struct stat st;

	if (!c->keystore)
		add(rep, "key store", CHECK_SKIP, "no --keystore PATH given");
	else if (stat(c->keystore, &st) < 0)
		add(rep, "key store", CHECK_FAIL, "%s: %s", c->keystore, strerror(errno));
	else if (st.st_size == 0)
		add(rep, "key store", CHECK_FAIL, "%s is empty: inject the master key", c->keystore);
	else if (st.st_mode & 0077)
		add(rep, "key store", CHECK_FAIL, "%s is readable by others (mode %o)", c->keystore,
		    st.st_mode & 0777);
	else
		add(rep, "key store", CHECK_OK, "%s present, private", c->keystore);
}

/* TCP connect with a 3 s limit; the fd or -errno */
static int tcp_connect(const char *host, const char *port, char *why, size_t len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	struct timeval tv = { .tv_sec = 3 };
	int fd = -1, rc = getaddrinfo(host, port, &hints, &res);

	if (rc != 0) {
		snprintf(why, len, "cannot resolve %s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		struct pollfd p;
		int soerr = 0;
		socklen_t sl = sizeof(soerr);

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
			soerr = errno;
		p = (struct pollfd){ .fd = fd, .events = POLLOUT };
		if (!soerr && poll(&p, 1, 3000) != 1)
			soerr = ETIMEDOUT;
		if (!soerr)
			getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
		if (soerr) {
			snprintf(why, len, "TCP connect to %s:%s: %s", host, port, strerror(soerr));
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd >= 0) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	}
	return fd;
}

static const char *ssl_reason(void)
{
	const char *r = ERR_reason_error_string(ERR_peek_last_error());

	return r ? r : "connection closed";
}

/* The CA store and client certificate paycardd uses; NULL, or what fails. */
static const char *tls_setup(SSL_CTX *ctx, const struct host_link *hl, char *why, size_t len)
{
	const char *key = hl->key_file[0] ? hl->key_file : hl->cert_file;

	if (hl->ca_file[0] && SSL_CTX_load_verify_locations(ctx, hl->ca_file, NULL) != 1)
		snprintf(why, len, "CA file %s cannot be loaded: %s", hl->ca_file, ssl_reason());
	else if (!hl->ca_file[0] && SSL_CTX_set_default_verify_paths(ctx) != 1)
		snprintf(why, len, "the system CA store cannot be loaded: %s", ssl_reason());
	else if (hl->cert_file[0] &&
		 (SSL_CTX_use_certificate_chain_file(ctx, hl->cert_file) != 1 ||
		  SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1))
		snprintf(why, len, "client certificate %s / key %s cannot be loaded: %s",
			 hl->cert_file, key, ssl_reason());
	else
		return NULL;
	return why;
}

static void tls_handshake(int fd, const char *host, const char *port,
			  const struct host_link *hl, struct report *rep)
{
	const char *name = hl->server_name[0] ? hl->server_name : host;
	const char *ca = hl->ca_file[0] ? hl->ca_file : "system CA store";
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	SSL *ssl = NULL;
	char why[1024];

	if (!ctx || tls_setup(ctx, hl, why, sizeof(why))) {
		add(rep, "host", CHECK_FAIL, "%s", ctx ? why : "no memory for TLS");
		SSL_CTX_free(ctx);
		return;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	ssl = SSL_new(ctx);
	SSL_set_fd(ssl, fd);
	SSL_set_tlsext_host_name(ssl, name);
	SSL_set1_host(ssl, name);
	if (SSL_connect(ssl) == 1)
		add(rep, "host", CHECK_OK, "TCP and TLS handshake with %s:%s (%s, %s)", host, port,
		    SSL_get_version(ssl), ca);
	else
		add(rep, "host", CHECK_FAIL, "TCP works but the TLS handshake with %s fails (%s): %s",
		    name, ca, ssl_reason());
	SSL_free(ssl);
	SSL_CTX_free(ctx);
}

/*
 * The host layer as paycardd reaches it: its [host] settings (HostLink)
 * when it answers and has an acquirer, --host overriding the address;
 * plain TCP when tls = no.  Otherwise --host over TLS with the system CA
 * store.
 */
static void check_host(struct ctl *c, bool reachable, struct report *rep)
{
	struct host_link hl = { .tls = true };
	char host[HOST_LINK_STR], why[600] = "", *colon;
	int fd;

	/* a paycardd without an acquirer has no settings to follow */
	if (reachable && (host_link_get(c->bus, &hl) < 0 || !hl.primary[0]))
		hl = (struct host_link){ .tls = true };
	snprintf(host, sizeof(host), "%s", c->host ? c->host : hl.primary);
	if (!host[0]) {
		add(rep, "host", CHECK_SKIP, "no acquirer configured and no --host HOST:PORT given");
		return;
	}
	colon = strrchr(host, ':');
	if (!colon) {
		add(rep, "host", CHECK_FAIL, "%s: HOST:PORT expected", host);
		return;
	}
	*colon = '\0';
	fd = tcp_connect(host, colon + 1, why, sizeof(why));
	if (fd < 0)
		add(rep, "host", CHECK_FAIL, "%s (network or firewall)", why);
	else if (!hl.tls)
		add(rep, "host", CHECK_OK, "TCP connect to %s:%s (plain TCP: [host] tls = no)", host,
		    colon + 1);
	else
		tls_handshake(fd, host, colon + 1, &hl, rep);
	if (fd >= 0)
		close(fd);
}

static void check_clock(struct report *rep)
{
	struct timex tx = { 0 };
	time_t now = time(NULL);
	int state = adjtimex(&tx);

	if (now < CLOCK_SANE_AFTER)
		add(rep, "clock", CHECK_FAIL, "the clock says %ld: set the time (TLS and the host need it)",
		    (long)now);
	else if (state == TIME_ERROR || (tx.status & STA_UNSYNC))
		add(rep, "clock", CHECK_WARN, "plausible but not synchronised (NTP)");
	else
		add(rep, "clock", CHECK_OK, "synchronised");
}

/* The acquirer's last response code, in words. */
static void last_response(struct ctl *c, struct report *rep)
{
	char *rc = NULL;
	const char *text;

	if (sd_bus_get_property_string(c->bus, "org.paycard", TERMINAL_PATH, TERMINAL_IFACE,
				       "LastResponseCode", NULL, &rc) < 0 || !rc[0]) {
		add(rep, "last host response", CHECK_SKIP, "none recorded yet");
	} else {
		text = txn_response_code_text(rc);
		add(rep, "last host response", strcmp(rc, "00") ? CHECK_WARN : CHECK_OK, "%s: %s",
		    rc, text ? text : "code not in paycardctl's table");
	}
	free(rc);
}

static void check_sign_in(struct ctl *c, struct report *rep)
{
	bool signed_in = false;

	client_get_bool(c->bus, TERMINAL_PATH, TERMINAL_IFACE, "SignedIn", &signed_in);
	if (signed_in)
		add(rep, "sign-in", CHECK_OK, "signed in");
	else
		add(rep, "sign-in", CHECK_FAIL, "not signed in (paycardctl sign-in)");
	last_response(c, rep);
}

static const char *const verdict_names[] = { "ok", "warn", "FAIL", "skip" };

static int print_report(const struct report *rep)
{
	const struct check *first_fail = NULL;
	bool first = true;

	for (int i = 0; i < rep->n && !first_fail; i++)
		if (rep->checks[i].verdict == CHECK_FAIL)
			first_fail = &rep->checks[i];
	if (output_json) {
		fputc('{', stdout);
		json_kv_string(stdout, &first, "first_failing_layer", first_fail ? first_fail->layer : "");
		fputs(",\"checks\":[", stdout);
		for (int i = 0; i < rep->n; i++) {
			bool f = true;

			fputs(i ? ",{" : "{", stdout);
			json_kv_string(stdout, &f, "layer", rep->checks[i].layer);
			json_kv_string(stdout, &f, "status", verdict_names[rep->checks[i].verdict]);
			json_kv_string(stdout, &f, "detail", rep->checks[i].detail);
			fputc('}', stdout);
		}
		fputs("]}\n", stdout);
	} else {
		if (first_fail)
			printf("FAILING LAYER: %s: %s\n\n", first_fail->layer, first_fail->detail);
		else
			printf("all layers ok\n\n");
		for (int i = 0; i < rep->n; i++)
			printf("  %-4s  %-18s %s\n", verdict_names[rep->checks[i].verdict],
			       rep->checks[i].layer, rep->checks[i].detail);
	}
	return first_fail ? 1 : 0;
}

int cmd_doctor(struct ctl *c, int argc, char **argv)
{
	struct report rep = { .n = 0 };
	bool reachable = check_daemon(c, &rep);

	if (reachable) {
		if (check_module(c, &rep))
			check_device_nodes(&rep);
		check_readers(c, &rep);
	}
	check_keystore(c, &rep);
	check_host(c, reachable, &rep);
	check_clock(&rep);
	if (reachable)
		check_sign_in(c, &rep);
	return print_report(&rep);
}
