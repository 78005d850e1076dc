// SPDX-License-Identifier: MIT
/*
 * Sale latency as a lean C POS frontend sees it: the swipe sales with PIN
 * of tests/txn/bench_txn.py's one_sale, over sd-bus, so that the number
 * holds none of the Python client's dispatching (dbus-python, GLib).
 *
 *   bench-sale-client ADDRESS CONTROL TRACK2 PIN N
 *
 * ADDRESS: paycardd's D-Bus address (unix:path=...); CONTROL: the fake
 * reader backend's control socket (tests/paycardd/reader_backend_fake.c)
 * with reader "r0" plugged and signed in.  Each sale calls
 * Terminal1.Sale("r0", 100, {}) asynchronously (txnworld.sale_args(100)),
 * waits for TransactionState "waiting-card", then swipes TRACK2 and types
 * PIN on CONTROL and, once PinDigits shows every digit (as a cardholder
 * presses Enter after the last digit shows), Enter.  The clock runs from
 * right after Enter is sent to the reply's dispatch.  One line per sale:
 *
 *   ok CLIENT_USEC HOST_USEC ELAPSED_USEC    (HOST, ELAPSED: the result's)
 *   fail REASON
 *
 * Exit 0 when every sale was approved, 1 otherwise, 2 on bad arguments.
 * TRACK2 and PIN are the test card's (tests/txn/txnworld.py): a real
 * frontend never sees them, the reader does.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <systemd/sd-bus.h>
#include <time.h>
#include <unistd.h>

#include <linux/paycard.h>
#include <paycard/protocol.h>

#define TERMINAL	"org.paycard.Terminal1"
#define TERMINAL_PATH	"/org/paycard/terminal"
#define READER		"r0"
#define AMOUNT		100
#define USEC		1000000ULL
/* bench_txn.py's timeouts: 5 s for the reader to wait for a card, 30 s
 * for the reply */
#define CARD_WAIT_USEC	(5 * USEC)
#define SALE_TIMEOUT_USEC (30 * USEC)
#define ENTER_PAUSE_USEC 50000	/* from the last digit shown to Enter */

struct sale {
	bool waiting_card;	/* TransactionState "waiting-card" for READER */
	size_t pin_len;		/* digits the cardholder types */
	bool digits_in;		/* PinDigits says all of them arrived */
	bool replied;
	uint64_t replied_at;	/* CLOCK_MONOTONIC usec, taken first thing in the reply handler */
	uint64_t host_usec;	/* from the result; 0 when absent */
	uint64_t elapsed_usec;
	char fail[160];		/* why the sale is not an approved one; "" when it is */
};

static uint64_t now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * USEC + (uint64_t)ts.tv_nsec / 1000;
}

/* The first failure is the reason: later ones (a cancelled reply) follow from it. */
static void sale_fail(struct sale *s, const char *reason, const char *detail)
{
	if (!s->fail[0])
		snprintf(s->fail, sizeof(s->fail), "%s%s%s", reason, detail ? " " : "",
			 detail ? detail : "");
}

/*
 * A frontend subscribes to Prompt and PinDigits to show them; they are
 * delivered and dispatched here as there, but only the reader's state
 * drives this client.
 */
static int on_terminal_signal(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct sale *s = user;
	const char *reader, *state;
	uint32_t count;

	if (sd_bus_message_is_signal(m, TERMINAL, "TransactionState") &&
	    sd_bus_message_read(m, "ss", &reader, &state) >= 0 &&
	    strcmp(reader, READER) == 0 && strcmp(state, "waiting-card") == 0)
		s->waiting_card = true;
	if (sd_bus_message_is_signal(m, TERMINAL, "PinDigits") &&
	    sd_bus_message_read(m, "su", &reader, &count) >= 0 &&
	    strcmp(reader, READER) == 0 && count == s->pin_len)
		s->digits_in = true;
	return 0;	/* a negative value would abort sd_bus_process() */
}

static int subscribe(sd_bus *bus, struct sale *s)
{
	static const char *const members[] = { "Prompt", "TransactionState", "PinDigits" };
	int r = 0;

	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]) && r >= 0; i++)
		r = sd_bus_match_signal(bus, NULL, NULL, TERMINAL_PATH, TERMINAL, members[i],
					on_terminal_signal, s);
	return r;
}

/* The result dictionary (a{sv}): "result", "host_usec", "elapsed_usec". */
static void read_result(sd_bus_message *m, struct sale *s)
{
	const char *key, *result = NULL;
	int r = sd_bus_message_enter_container(m, 'a', "{sv}");

	while (r > 0 && (r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
		r = sd_bus_message_read(m, "s", &key);
		if (r >= 0 && strcmp(key, "result") == 0)
			r = sd_bus_message_read(m, "v", "s", &result);
		else if (r >= 0 && strcmp(key, "host_usec") == 0)
			r = sd_bus_message_read(m, "v", "t", &s->host_usec);
		else if (r >= 0 && strcmp(key, "elapsed_usec") == 0)
			r = sd_bus_message_read(m, "v", "t", &s->elapsed_usec);
		else if (r >= 0)
			r = sd_bus_message_skip(m, "v");
		if (r >= 0)
			r = sd_bus_message_exit_container(m);
	}
	if (r < 0)
		sale_fail(s, "unreadable reply:", strerror(-r));
	else if (!result)
		sale_fail(s, "reply without result", NULL);
	else if (strcmp(result, "approved") != 0)
		sale_fail(s, "result", result);
}

static int on_sale_reply(sd_bus_message *m, void *user, sd_bus_error *err)
{
	struct sale *s = user;

	s->replied_at = now_usec();
	s->replied = true;
	if (sd_bus_message_is_method_error(m, NULL))
		sale_fail(s, "error", sd_bus_message_get_error(m)->name);
	else
		read_result(m, s);
	return 0;
}

/* Terminal1.Sale as txnworld.sale_args(100) builds it: ("r0", 100, {}). */
static int start_sale(sd_bus *bus, struct sale *s)
{
	sd_bus_message *m = NULL;
	int r = sd_bus_message_new_method_call(bus, &m, "org.paycard", TERMINAL_PATH, TERMINAL,
					       "Sale");

	if (r >= 0)
		r = sd_bus_message_append(m, "sta{sv}", READER, (uint64_t)AMOUNT, 0);
	if (r >= 0)	/* a floating slot: freed once the reply is dispatched */
		r = sd_bus_call_async(bus, NULL, m, on_sale_reply, s, SALE_TIMEOUT_USEC);
	sd_bus_message_unref(m);
	return r;
}

/* Dispatch until *done or the reply, or @deadline: false at the deadline or on a bus error. */
static bool run_until(sd_bus *bus, const struct sale *s, const bool *done, uint64_t deadline)
{
	while (!*done && !s->replied) {
		uint64_t now = now_usec();
		int r = sd_bus_process(bus, NULL);

		if (r > 0)
			continue;
		if (r < 0 || now >= deadline || sd_bus_wait(bus, deadline - now) < 0)
			return false;
	}
	return true;
}

static int send_command(int control, const char *cmd)
{
	size_t len = strlen(cmd);

	return send(control, cmd, len, 0) == (ssize_t)len ? 0 : -errno;
}

/* The swipe and one key per PIN digit (Enter comes once they are seen). */
static int play_card(int control, const char *track2, const char *pin)
{
	char cmd[160];
	int r;

	snprintf(cmd, sizeof(cmd), "swipe %s %s", READER, track2);
	r = send_command(control, cmd);
	for (const char *c = pin; r == 0 && *c; c++) {
		snprintf(cmd, sizeof(cmd), "key %s %d", READER, PCP_KEY_0 + (*c - '0'));
		r = send_command(control, cmd);
	}
	explicit_bzero(cmd, sizeof(cmd));	/* it held the track and PIN digits */
	return r;
}

static int press_enter(int control)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "key %s %d", READER, PCP_KEY_ENTER);
	return send_command(control, cmd);
}

/* One sale, its line printed; false on an error that leaves the bus unusable. */
static bool one_sale(sd_bus *bus, int control, const char *track2, const char *pin,
		     struct sale *s)
{
	uint64_t entered = 0;
	int r;

	memset(s, 0, sizeof(*s));
	r = start_sale(bus, s);
	if (r < 0) {
		printf("fail cannot call Sale: %s\n", strerror(-r));
		return false;
	}
	if (!run_until(bus, s, &s->waiting_card, now_usec() + CARD_WAIT_USEC)) {
		/* the reader never asked for a card: end the sale before the next one */
		sale_fail(s, "no waiting-card state within 5 s", NULL);
		sd_bus_call_method(bus, "org.paycard", TERMINAL_PATH, TERMINAL, "Cancel",
				   NULL, NULL, "s", READER);
	} else if (!s->replied) {
		/* Enter once the display shows every digit, as a cardholder
		 * presses it: the card's record was written meanwhile */
		s->pin_len = strlen(pin);
		r = play_card(control, track2, pin);
		if (r == 0 && !run_until(bus, s, &s->digits_in, now_usec() + CARD_WAIT_USEC))
			r = -ETIMEDOUT;
		if (r == 0) {
			/* and a person's pause before it: paycardd idles meanwhile,
			 * as it does between real key presses */
			usleep(ENTER_PAUSE_USEC);
			r = press_enter(control);
		}
		entered = now_usec();
		if (r < 0)
			sale_fail(s, "fake reader control:", strerror(-r));
	}
	if (!run_until(bus, s, &s->replied, now_usec() + SALE_TIMEOUT_USEC + USEC)) {
		printf("fail no reply and no timeout from sd-bus\n");
		return false;
	}
	if (s->fail[0])
		printf("fail %s\n", s->fail);
	else
		printf("ok %llu %llu %llu\n", (unsigned long long)(s->replied_at - entered),
		       (unsigned long long)s->host_usec, (unsigned long long)s->elapsed_usec);
	return true;
}

static sd_bus *connect_bus(const char *address)
{
	sd_bus *bus = NULL;

	/* bus client: Hello and AddMatch, which paycardd's driver stub answers */
	if (sd_bus_new(&bus) < 0 || sd_bus_set_address(bus, address) < 0 ||
	    sd_bus_set_bus_client(bus, 1) < 0 || sd_bus_start(bus) < 0) {
		fprintf(stderr, "bench-sale-client: cannot connect to %s\n", address);
		return sd_bus_unref(bus);
	}
	return bus;
}

static int connect_control(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memcpy(addr.sun_path, path, strlen(path) + 1);	/* length checked by valid_args() */
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		fprintf(stderr, "bench-sale-client: cannot reach %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static bool all_digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/*
 * The fake backend splits commands on blanks and keeps PAYCARD_TRACK_MAX - 2
 * track bytes; a PIN has 4 to 12 digits (ISO 9564-1).
 */
static bool valid_args(char **argv, long *n)
{
	struct sockaddr_un addr;
	const char *track2 = argv[3], *pin = argv[4];
	char *end;

	*n = strtol(argv[5], &end, 10);
	if (!argv[1][0] || !argv[2][0] || strlen(argv[2]) >= sizeof(addr.sun_path))
		return false;
	if (!track2[0] || strcspn(track2, " \t\n") != strlen(track2) ||
	    strlen(track2) > PAYCARD_TRACK_MAX - 2)
		return false;
	if (!all_digits(pin) || strlen(pin) < 4 || strlen(pin) > 12)
		return false;
	return all_digits(argv[5]) && *n > 0 && !*end;
}

int main(int argc, char **argv)
{
	struct sale sale = { 0 };
	sd_bus *bus;
	int control, failed = 0;
	long n;

	if (argc != 6 || !valid_args(argv, &n)) {
		fprintf(stderr, "usage: bench-sale-client ADDRESS CONTROL_SOCKET TRACK2 PIN N\n"
			"  PIN: 4 to 12 digits; N: sales to run (> 0)\n");
		return 2;
	}
	bus = connect_bus(argv[1]);
	control = bus ? connect_control(argv[2]) : -1;
	if (control < 0 || subscribe(bus, &sale) < 0) {
		if (control >= 0)
			fprintf(stderr, "bench-sale-client: cannot subscribe to %s signals\n", TERMINAL);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (!one_sale(bus, control, argv[3], argv[4], &sale))
			return 1;
		failed += sale.fail[0] != '\0';
	}
	close(control);
	sd_bus_flush_close_unref(bus);
	return failed ? 1 : 0;
}
