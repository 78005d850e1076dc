// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * paycard-vmtest: the in-guest test client (tests/vm/guest/init runs it).
 *
 *   paycard-vmtest list            scenario names, in run order, of those
 *                                  that apply to the transport
 *                                  (PAYCARD_VM_TRANSPORT, default usb)
 *   paycard-vmtest run NAME        one scenario; exit 0 = pass (also
 *                                  the unlisted hostile-reader)
 *   paycard-vmtest bench ROUNDS    bench-usb
 */
#include "vmtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct vt_scenario *const tables[] = {
	vt_raw_scenarios, vt_basic_scenarios, vt_limit_scenarios,
	vt_misbehave_scenarios, vt_spi_scenarios, vt_timing_scenarios,
	vt_unplug_scenarios, vt_pm_scenarios,
};

static bool applies(const struct vt_scenario *s)
{
	return !s->transport || !strcmp(s->transport, vt_transport());
}

static const struct vt_scenario *find_in(const struct vt_scenario *s,
					 const char *name)
{
	for (; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* Listed scenarios, then those run only by name. */
static const struct vt_scenario *find(const char *name)
{
	const struct vt_scenario *s;

	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		s = find_in(tables[t], name);
		if (s)
			return s;
	}
	return find_in(vt_hostile_scenarios, name);
}

int main(int argc, char **argv)
{
	const struct vt_scenario *s;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "list")) {
		for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
			for (s = tables[t]; s->name; s++)
				if (applies(s))
					printf("%s\n", s->name);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "run")) {
		s = find(argv[2]);
		if (!s) {
			fprintf(stderr, "no scenario %s\n", argv[2]);
			return 2;
		}
		if (!applies(s)) {
			fprintf(stderr, "%s needs %s, the reader is on %s\n",
				s->name, s->transport, vt_transport());
			return 2;
		}
		return s->fn() ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "bench"))
		return vt_bench(atoi(argv[2]) > 0 ? atoi(argv[2]) : 1000);
	fprintf(stderr, "usage: paycard-vmtest list | run NAME | bench ROUNDS\n");
	return 2;
}
