// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * paycard-emu: a paycard reader emulated on a real host link, so the real
 * driver binds to it.  USB (default): a FunctionFS gadget the Linux USB
 * stack enumerates (dummy_hcd in the test VM; needs configfs, libcomposite
 * and usb_f_fs).  SPI (--spi DEVICE): the test SPI controller's device
 * /dev/paycard-vspi (tests/vm-spi/paycard_vspi.ko), with paycard_spi.
 *
 *   paycard-emu [--spi DEVICE | --name N --udc UDC] [--model M]
 *               [--serial S] [--firmware F] [--profile CARD]
 *               [--max-apdu BYTES] --control SOCKET
 */
#include "emu.h"
#include "emu_gadget.h"
#include "emu_spi.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <paycard/protocol.h>

static void usage(void)
{
	fprintf(stderr,
		"usage: paycard-emu --control SOCKET\n"
		"       [--spi DEVICE | --name N --udc UDC]\n"
		"       [--model M] [--serial S] [--firmware F]\n"
		"       [--profile CARD] [--max-apdu BYTES]\n");
	exit(2);
}

static void parse_args(struct emu_config *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spi", required_argument, NULL, 'S' },
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
		case 'S': c->spi = optarg; break;
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
	if (!c->control || optind != argc || (c->spi && c->udc) ||
	    c->max_apdu < 261 ||
	    c->max_apdu > PCP_MAX_PAYLOAD)
		usage();
}

static void *link_thread(void *arg)
{
	struct emu *e = arg;

	e->link->ops->run(e->link);
	return NULL;
}

static void init_locks(struct emu *e)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->changed, &ca);
	pthread_mutex_init(&e->rx_lock, NULL);
	pthread_cond_init(&e->rx_changed, &ca);
	pthread_mutex_init(&e->out_lock, NULL);
	pthread_cond_init(&e->out_ready, NULL);
	pthread_cond_init(&e->out_room, NULL);
	pthread_condattr_destroy(&ca);
}

static int start_threads(struct emu *e)
{
	void *(*const fns[])(void *) = { link_thread, emu_writer_thread,
					 emu_command_thread,
					 emu_rx_timer_thread,
					 emu_deferred_thread,
					 emu_control_thread };

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		pthread_t t;

		if (fns[i] == link_thread && !e->link->ops->run)
			continue;
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
	if (e.control_fd < 0)
		return 1;
	e.link = e.cfg.spi ? emu_spi_create(e.cfg.spi) :
			     emu_gadget_create(&e.cfg);
	if (!e.link)
		return 1;
	if (start_threads(&e) || e.link->ops->plug(e.link)) {
		e.link->ops->teardown(e.link);
		return 1;
	}
	fprintf(stderr, "paycard-emu: serial %s on %s %s, control %s\n",
		e.cfg.serial, e.link->ops->name, e.link->where, e.cfg.control);
	sigwait(&sigs, &sig);
	e.link->ops->teardown(e.link);
	unlink(e.cfg.control);
	return 0;
}
