// SPDX-License-Identifier: MIT
/* Reader event frames from the wire (userspace USB transport): any payload
 * converts or is refused, never read past its length; a converted MSR event
 * never claims more track bytes than it holds. */
#include <stdint.h>
#include <stdlib.h>

#include "paycardd/readers/pcp_convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct paycard_event ev;
	struct paycard_info info;
	struct pcp_frame f = { .type = PCP_TYPE_EVENT };
	u8 *copy;

	if (size < 1)
		return 0;
	/* an exact-size heap copy: ASan sees any read past the payload */
	copy = malloc(size - 1 ? size - 1 : 1);
	if (!copy)
		return 0;
	for (size_t i = 1; i < size; i++)
		copy[i - 1] = data[i];
	f.code = data[0];
	f.payload = copy;
	f.len = (u32)(size - 1);
	if (pcp_event_to_paycard(&f, &ev) == 0 && ev.type == PAYCARD_EVENT_MSR)
		for (int t = 0; t < 3; t++)
			if (ev.msr.track[t].len > sizeof(ev.msr.track[t].data))
				abort();
	pcp_info_to_paycard(copy, f.len, &info);
	free(copy);
	return 0;
}
