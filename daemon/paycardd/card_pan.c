// SPDX-License-Identifier: MIT
#include "paycardd/card_pan.h"

#include <ctype.h>

size_t track2_pan_length(const char *track, size_t len)
{
	size_t i = 0;

	if (len > 0 && track[0] == ';')	/* start sentinel, if the reader kept it */
		i = 1;
	while (i < len && isdigit((unsigned char)track[i]))
		i++;
	if (i >= len || (track[i] != '=' && track[i] != 'D'))
		return 0;
	return track[0] == ';' ? i - 1 : i;
}
