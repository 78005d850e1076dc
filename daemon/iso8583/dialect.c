// SPDX-License-Identifier: MIT
/* The dialects this library ships, by name. */
#include <string.h>

#include "iso8583/dialect.h"

const struct iso_dialect *iso_dialect_by_name(const char *name)
{
	static const struct iso_dialect *const all[] = {
		&iso_dialect_cup, &iso_dialect_cup_bare, &iso_dialect_ascii,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
