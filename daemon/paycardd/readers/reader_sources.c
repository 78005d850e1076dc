// SPDX-License-Identifier: MIT
/* The production paycardd's reader sources: none.  Readers come from the
 * kernel driver or the libusb transport, both found through udev; the test
 * build links reader_sources_test.c in place of this file. */
#include "paycardd/reader_source.h"

const struct reader_source *const reader_sources[] = { NULL };
