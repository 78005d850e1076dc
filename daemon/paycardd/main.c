// SPDX-License-Identifier: MIT
/*
 * paycardd: owns the card readers and serves the org.paycard D-Bus API on
 * its own socket (and on the system bus when one runs).  One sd-event loop,
 * no threads.  See paycardd(8).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "paycardd/bus/bus_server.h"
#include "paycardd/bus/reload.h"
#include "paycardd/bus/session_call.h"
#include "paycardd/bus/signals.h"
#include "paycardd/bus/system_bus.h"
#include "paycardd/daemon.h"
#include "paycardd/log.h"
#include "paycardd/readers/module_check.h"
#include "paycardd/session/card_session.h"
#include "paycardd/session/prompts.h"
#include "paycardd/readers/reader_manager.h"
#include "paycardd/reader_source.h"
#include "paycardd/store.h"
#include "paycardd/engine/engine_setup.h"
#include "paycardd/session/emv_params.h"

struct cli {
	const char *config;
	const char *socket;
	const char *state_dir;
	const char *runtime_dir;
	const char *localedir;
	int log_level;
	bool check_config;
};

static void usage(FILE *f)
{
	fputs("usage: paycardd [options]\n"
	      "  -c, --config FILE       configuration (default " CONFIG_DEFAULT_PATH ")\n"
	      "  -s, --socket PATH       private D-Bus socket\n"
	      "      --state-dir DIR     database directory\n"
	      "      --runtime-dir DIR   runtime directory\n"
	      "      --localedir DIR     message catalogs\n"
	      "  -l, --log-level LEVEL   error, warning, notice, info, debug\n"
	      "      --check-config      parse the configuration, report, exit\n"
	      "  -V, --version           print the version\n"
	      "  -h, --help              this text\n", f);
}

static int set_path(const char *opt, const char *v, char *dst, size_t size)
{
	if (v[0] != '/' || strlen(v) >= size) {
		fprintf(stderr, "paycardd: %s needs an absolute path under %zu bytes\n", opt, size);
		return -1;
	}
	strcpy(dst, v);
	return 0;
}

static int parse_cli(int argc, char **argv, struct cli *cli)
{
	enum { OPT_STATE = 256, OPT_RUNTIME, OPT_LOCALE, OPT_CHECK };
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "socket", required_argument, NULL, 's' },
		{ "state-dir", required_argument, NULL, OPT_STATE },
		{ "runtime-dir", required_argument, NULL, OPT_RUNTIME },
		{ "localedir", required_argument, NULL, OPT_LOCALE },
		{ "log-level", required_argument, NULL, 'l' },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	*cli = (struct cli){ .log_level = -1 };
	while ((c = getopt_long(argc, argv, "c:s:l:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': cli->config = optarg; break;
		case 's': cli->socket = optarg; break;
		case OPT_STATE: cli->state_dir = optarg; break;
		case OPT_RUNTIME: cli->runtime_dir = optarg; break;
		case OPT_LOCALE: cli->localedir = optarg; break;
		case OPT_CHECK: cli->check_config = true; break;
		case 'l':
			cli->log_level = log_level_from_name(optarg);
			if (cli->log_level < 0) {
				fprintf(stderr, "paycardd: unknown log level '%s'\n", optarg);
				return -1;
			}
			break;
		case 'V': puts("paycardd " PAYCARD_VERSION); exit(0);
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "paycardd: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* The file first, then the command line over it. */
static int load_config(struct paycardd *d, const struct cli *cli)
{
	char err[CONFIG_ERR_LEN];
	struct paycardd_config *c = &d->cfg;
	int r;

	config_set_defaults(c);
	snprintf(d->config_path, sizeof(d->config_path), "%s",
		 cli->config ? cli->config : CONFIG_DEFAULT_PATH);
	r = config_parse_file(c, d->config_path, err, sizeof(err));
	if (r == -1 || (r == -2 && cli->config)) {
		fprintf(stderr, "paycardd: %s\n", err);
		return -1;
	}
	if ((cli->socket && set_path("--socket", cli->socket, c->socket_path, sizeof(c->socket_path))) ||
	    (cli->state_dir && set_path("--state-dir", cli->state_dir, c->state_dir, sizeof(c->state_dir))) ||
	    (cli->runtime_dir && set_path("--runtime-dir", cli->runtime_dir, c->runtime_dir, sizeof(c->runtime_dir))) ||
	    (cli->localedir && set_path("--localedir", cli->localedir, c->localedir, sizeof(c->localedir))))
		return -1;
	d->cli_log_level = cli->log_level;
	if (cli->log_level >= 0)
		c->log_level = cli->log_level;
	log_set_level(c->log_level);
	if (c->engine.ca_keys[0] &&
	    emv_params_load_ca_keys(c->engine.ca_keys, err, sizeof(err))) {
		fprintf(stderr, "paycardd: [keys] ca_keys: %s\n", err);
		return -1;
	}
	return 0;
}

static int on_terminate(sd_event_source *s, const struct signalfd_siginfo *si, void *user)
{
	struct paycardd *d = user;

	log_info("signal %u: shutting down", si->ssi_signo);
	sd_notify(0, "STOPPING=1");
	return sd_event_exit(d->event, 0);
}

static int on_hangup(sd_event_source *s, const struct signalfd_siginfo *si, void *user)
{
	char err[CONFIG_ERR_LEN];

	sd_notify(0, "RELOADING=1");
	reload_apply(user, err, sizeof(err));
	sd_notify(0, "READY=1");
	return 0;
}

/* Create @path if missing; a new one gets exactly @mode (umask aside). */
static int make_dir(const char *path, mode_t mode)
{
	if (mkdir(path, mode) == 0)
		return chmod(path, mode);
	if (errno != EEXIST) {
		log_error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void check_module(struct paycardd *d)
{
	enum module_status st;

	if (d->cfg.reader_source) {
		snprintf(d->module_state, sizeof(d->module_state), "not used (%s backend)",
			 d->cfg.reader_source->name);
		return;
	}
	st = module_check(d->cfg.module_autoload, d->module_state, sizeof(d->module_state));
	d->module_missing = st == MODULE_NOT_LOADED;
	if (st == MODULE_ABI_MISMATCH)
		daemon_notice(d, NOTICE_MAINTENANCE, "module.abi_mismatch",
			      "Kernel module paycard: %s; readers cannot be used until they match",
			      d->module_state);
	else if (st == MODULE_NOT_LOADED)
		daemon_notice(d, NOTICE_MAINTENANCE, "module.not_loaded",
			      "Kernel module paycard is %s", d->module_state);
}

static int setup(struct paycardd *d)
{
	char db_path[CONFIG_PATH_LEN + 16];
	int listen_fd = -1, r;

	if (make_dir(d->cfg.runtime_dir, 0755) < 0 || make_dir(d->cfg.state_dir, 0700) < 0)
		return -1;
	prompts_load(d->cfg.localedir);
	snprintf(db_path, sizeof(db_path), "%s/paycardd.db", d->cfg.state_dir);
	d->db = store_open(db_path);
	if (!d->db)
		return -1;
	d->notices = notices_new(d->db, &d->cfg.notices);
	if (!d->notices)
		return -1;
	d->events = &bus_events;	/* what happens goes out as signals */
	r = sd_event_default(&d->event);
	if (r >= 0)
		r = store_checkpoints_start(d->db, d->event, &d->checkpoints);
	if (r < 0)
		return r;
	sd_event_add_signal(d->event, NULL, SIGTERM, on_terminate, d);
	sd_event_add_signal(d->event, NULL, SIGINT, on_terminate, d);
	sd_event_add_signal(d->event, NULL, SIGHUP, on_hangup, d);
	check_module(d);
	if (sd_listen_fds(1) == 1)	/* socket activation (paycardd.socket) */
		listen_fd = SD_LISTEN_FDS_START;
	/* the socket first: it refuses to start beside a running paycardd.
	 * Clients are accepted only once the loop runs, when the readers
	 * present at start are enumerated. */
	r = bus_server_start(d, listen_fd, session_calls_forget_bus, &d->server);
	if (r >= 0)
		r = reader_manager_start(d, &card_session_listener, &d->readers);
	if (r >= 0)
		r = system_bus_start(d);
	if (r >= 0)
		r = engine_start(d);
	return r;
}

static void teardown(struct paycardd *d)
{
	bus_server_free(d->server);
	d->server = NULL;
	reader_manager_free(d->readers);
	engine_stop(d);
	if (d->system_bus)
		sd_bus_flush_close_unref(d->system_bus);
	notices_free(d->notices);
	store_checkpoints_free(d->checkpoints);
	store_close(d->db);
	sd_event_unref(d->event);
}

int main(int argc, char **argv)
{
	struct paycardd d = { 0 };
	struct cli cli;
	sigset_t mask;
	int r;

	if (parse_cli(argc, argv, &cli) < 0 || load_config(&d, &cli) < 0)
		return 2;
	if (cli.check_config) {
		printf("%s: ok\n", d.config_path);
		return 0;
	}
	/* sd-event signal sources need the signals blocked */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	umask(0077);	/* the database and anything else we create are ours alone */
	r = setup(&d);
	if (r < 0) {
		log_error("startup failed");
		teardown(&d);
		return 1;
	}
	sd_notifyf(0, "READY=1\nSTATUS=serving %s", d.cfg.socket_path);
	log_info("ready on %s", d.cfg.socket_path);
	r = sd_event_loop(d.event);
	teardown(&d);
	return r < 0 ? 1 : 0;
}
