// SPDX-License-Identifier: MIT
#include "common/pan.h"

#include <ctype.h>

bool pan_mask(const char *pan, size_t len, char *out, size_t out_size)
{
	if (len < 13 || len > 19 || out_size < len + 1)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)pan[i]))
			return false;
		out[i] = (i < 6 || i >= len - 4) ? pan[i] : '*';
	}
	out[len] = '\0';
	return true;
}
