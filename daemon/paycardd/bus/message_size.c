// SPDX-License-Identifier: MIT
#include "paycardd/bus/message_size.h"

#include <stdint.h>
#include <string.h>

/* wire size of a fixed-size basic type, 0 for strings and containers */
static size_t fixed_size(char type)
{
	switch (type) {
	case 'y': return 1;
	case 'n': case 'q': return 2;
	case 'b': case 'i': case 'u': case 'h': return 4;
	case 'x': case 't': case 'd': return 8;
	default: return 0;
	}
}

static size_t walk(sd_bus_message *m, unsigned depth)
{
	size_t total = 0;
	const char *contents;
	char type;

	while (depth < 64 && sd_bus_message_peek_type(m, &type, &contents) > 0) {
		if (type == 'a' && contents && strlen(contents) == 1 && fixed_size(contents[0])) {
			const void *ptr;
			size_t n = 0;

			if (sd_bus_message_read_array(m, contents[0], &ptr, &n) < 0)
				break;
			total += n + 4;
		} else if (type == 'a' || type == 'v' || type == 'r' || type == 'e') {
			if (sd_bus_message_enter_container(m, type, contents) <= 0)
				break;
			total += 8 + walk(m, depth + 1);
			if (sd_bus_message_exit_container(m) < 0)
				break;
		} else if (fixed_size(type)) {
			uint64_t v;

			if (sd_bus_message_read_basic(m, type, &v) < 0)
				break;
			total += fixed_size(type);
		} else {
			const char *s = NULL;

			if (sd_bus_message_read_basic(m, type, &s) < 0 || !s)
				break;
			total += strlen(s) + 5;
		}
	}
	return total;
}

size_t message_size_estimate(sd_bus_message *m)
{
	size_t n;

	if (sd_bus_message_rewind(m, 1) < 0)
		return 0;
	n = walk(m, 0);
	sd_bus_message_rewind(m, 1);
	return n;
}
