// SPDX-License-Identifier: MIT
/* paycardd.conf parser on arbitrary text: never crashes or over-reads;
 * a refused file always carries a "fuzz.conf:LINE: " message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_set_defaults(&c);
	if (config_parse_string(&c, "fuzz.conf", text, err, sizeof(err)) != 0 &&
	    strncmp(err, "fuzz.conf:", 10) != 0)
		abort();
	/* accepted values stay inside their documented bounds */
	if (c.limits.max_connections < 1 || c.limits.max_connections > 4096 ||
	    c.socket_mode > 0777 || c.n_firmware > CONFIG_FIRMWARE_RULES ||
	    strlen(c.terminal_id) > 8 || strlen(c.merchant_id) > 15)
		abort();
	free(text);
	return 0;
}
