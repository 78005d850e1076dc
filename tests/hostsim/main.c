// SPDX-License-Identifier: MIT
/*
 * paycard-hostsim --config FILE [--listen ADDR:PORT] [--ledger PATH]
 *                 [--tls] [--fault SPEC] [--port-file PATH]
 *
 * Prints "paycard-hostsim: listening on ADDR:PORT" on stdout once ready
 * (and writes the port to --port-file), then serves until killed.  Every
 * request is logged on stderr with its response code and fault, PANs
 * masked; PINs, tracks and keys never.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostsim.h"
#include "table.h"
#include "ledger.h"
#include "server.h"

static int usage(void)
{
	fprintf(stderr, "usage: paycard-hostsim --config FILE [--listen ADDR:PORT]"
		" [--ledger PATH] [--tls] [--fault SPEC] [--port-file PATH]\n");
	return 2;
}

static int apply_options(int argc, char **argv, struct hs_config *cfg,
			 const char **port_file)
{
	for (int i = 3; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *colon;

		if (!strcmp(argv[i], "--tls")) {
			cfg->tls = true;
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(argv[i - 1], "--listen") && (colon = strrchr(v, ':'))) {
			snprintf(cfg->listen_host, sizeof(cfg->listen_host), "%.*s",
				 (int)(colon - v), v);
			snprintf(cfg->listen_port, sizeof(cfg->listen_port), "%s", colon + 1);
		} else if (!strcmp(argv[i - 1], "--ledger")) {
			snprintf(cfg->ledger, sizeof(cfg->ledger), "%s", v);
		} else if (!strcmp(argv[i - 1], "--fault")) {
			if (hs_fault_parse(v, &cfg->global_fault)) {
				fprintf(stderr, "paycard-hostsim: bad fault %s\n", v);
				return -1;
			}
		} else if (!strcmp(argv[i - 1], "--port-file")) {
			*port_file = v;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct hs_config cfg;
	struct hs_host host = { .cfg = &cfg };
	const char *port_file = NULL;
	char port[16];
	SSL_CTX *tls = NULL;
	int lfd;

	if (argc < 3 || strcmp(argv[1], "--config"))
		return usage();
	if (hs_config_load(argv[2], &cfg) || apply_options(argc, argv, &cfg, &port_file))
		return usage();
	if (!cfg.ledger[0]) {
		fprintf(stderr, "paycard-hostsim: no ledger path\n");
		return 2;
	}
	if (hs_ledger_open(cfg.ledger, &host.ledger))
		return 1;
	if (cfg.message_table[0] && hs_table_load(cfg.message_table, &host.table))
		return 1;
	if (cfg.tls && !(tls = hs_tls_context(&cfg)))
		return 1;
	lfd = hs_listen(&cfg, port, sizeof(port));
	if (lfd < 0)
		return 1;
	/* RRNs must not repeat across runs on the same ledger */
	host.rrn_counter = (unsigned long)time(NULL) % 100000000UL * 1000;
	signal(SIGPIPE, SIG_IGN);
	if (port_file) {
		FILE *f = fopen(port_file, "w");

		if (f) {
			fprintf(f, "%s\n", port);
			fclose(f);
		}
	}
	printf("paycard-hostsim: listening on %s:%s%s\n", cfg.listen_host, port,
	       tls ? " (TLS)" : "");
	fflush(stdout);
	hs_serve(&host, lfd, tls);
	hs_ledger_close(host.ledger);
	return 1;
}
