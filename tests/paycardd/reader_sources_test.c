// SPDX-License-Identifier: MIT
/* The test build's reader sources (build/tests/paycardd-fake): the fake
 * backend, readers played by a test through a control socket.  Linked in
 * place of reader_sources.c, never into build/paycardd. */
#include "reader_backend_fake.h"

const struct reader_source *const reader_sources[] = { &fake_reader_source, NULL };
