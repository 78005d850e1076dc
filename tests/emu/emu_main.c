// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * paycard-emu: a paycard reader emulated through FunctionFS, so the real
 * Linux USB stack (dummy_hcd in the test VM) enumerates it and the real
 * driver binds to it.  Needs configfs, libcomposite and usb_f_fs loaded.
 *
 *   paycard-emu [--name N] [--udc UDC] [--model M] [--serial S]
 *               [--firmware F] [--profile CARD] [--max-apdu BYTES]
 *               --control SOCKET
 */
#include "emu.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paycard/protocol.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: paycard-emu --control SOCKET [--name N] [--udc UDC]\n"
		"       [--model M] [--serial S] [--firmware F]\n"
		"       [--profile CARD] [--max-apdu BYTES]\n");
	exit(2);
}

static void parse_args(struct emu_config *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "udc", required_argument, NULL, 'u' },
		{ "model", required_argument, NULL, 'm' },
		{ "serial", required_argument, NULL, 's' },
		{ "firmware", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'p' },
		{ "control", required_argument, NULL, 'c' },
		{ "max-apdu", required_argument, NULL, 'a' },
		{ 0 }
	};
	int o;

	*c = (struct emu_config){
		.name = "paycard0", .model = "PC-EMU 100",
		.serial = "EMU0001", .firmware = "1.0.0",
		.max_apdu = 65544,
	};
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'n': c->name = optarg; break;
		case 'u': c->udc = optarg; break;
		case 'm': c->model = optarg; break;
		case 's': c->serial = optarg; break;
		case 'f': c->firmware = optarg; break;
		case 'p': c->profile = optarg; break;
		case 'c': c->control = optarg; break;
		case 'a': c->max_apdu = (uint32_t)strtoul(optarg, NULL, 0); break;
		default: usage();
		}
	}
	/* An R-APDU is at most 65536 data bytes + SW; a C-APDU 65544. */
	if (!c->control || optind != argc || c->max_apdu < 261 ||
	    c->max_apdu > PCP_MAX_PAYLOAD)
		usage();
}

static void on_enable(void *arg)
{
	(void)arg;
	fprintf(stderr, "paycard-emu: configured by the host\n");
}

static void *ep0_thread(void *arg)
{
	struct emu *e = arg;

	emu_gadget_ep0_loop(&e->gadget, on_enable, e);
	return NULL;
}

static void init_locks(struct emu *e)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->changed, &ca);
	pthread_mutex_init(&e->out_lock, NULL);
	pthread_cond_init(&e->out_ready, NULL);
	pthread_condattr_destroy(&ca);
}

static int start_threads(struct emu *e)
{
	void *(*const fns[])(void *) = { ep0_thread, emu_writer_thread,
					 emu_command_thread,
					 emu_deferred_thread,
					 emu_control_thread };

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		pthread_t t;

		if (pthread_create(&t, NULL, fns[i], e))
			return -1;
		pthread_detach(t);
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct emu e;
	sigset_t sigs;
	int sig;

	parse_args(&e.cfg, argc, argv);
	init_locks(&e);
	/* Threads inherit the mask; main alone takes SIGTERM/SIGINT. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	e.control_fd = emu_control_listen(e.cfg.control);
	if (e.control_fd < 0 || emu_gadget_setup(&e.gadget, &e.cfg) ||
	    start_threads(&e) || emu_gadget_plug(&e.gadget)) {
		emu_gadget_teardown(&e.gadget, &e.cfg);
		return 1;
	}
	fprintf(stderr, "paycard-emu: %s serial %s on %s, control %s\n",
		e.cfg.name, e.cfg.serial, e.gadget.udc, e.cfg.control);
	sigwait(&sigs, &sig);
	emu_gadget_teardown(&e.gadget, &e.cfg);
	unlink(e.cfg.control);
	return 0;
}
