// SPDX-License-Identifier: MIT
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "common/hex.h"
#include "script_transport.h"

static int scripted(void *ctx, const uint8_t *capdu, size_t capdu_len,
		    uint8_t *rapdu, size_t rapdu_size, size_t *rapdu_len)
{
	struct script_transport *s = ctx;
	const struct script_step *st;
	uint8_t want[300];
	long n;

	assert_true(s->pos < s->n);
	st = &s->steps[s->pos++];
	n = hex_decode(st->expect, strlen(st->expect), want, sizeof(want));
	assert_true(n >= 0);
	assert_true((size_t)n <= capdu_len);
	assert_memory_equal(capdu, want, (size_t)n);
	if (!st->answer)
		return st->error;
	n = hex_decode(st->answer, strlen(st->answer), rapdu, rapdu_size);
	assert_true(n >= 0);
	*rapdu_len = (size_t)n;
	return 0;
}

void script_init(struct script_transport *s, const struct script_step *steps,
		 size_t n)
{
	s->steps = steps;
	s->n = n;
	s->pos = 0;
	s->t.transceive = scripted;
	s->t.ctx = s;
}
