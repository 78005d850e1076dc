/* SPDX-License-Identifier: MIT */
/*
 * A store of EMV data objects (tag -> value), one for the card's data and
 * one for the terminal's.  Fixed size, no allocation; values are copied in,
 * so the store outlives the APDU buffers.  Card data holds the PAN and
 * track 2 equivalent: emv_data_wipe() erases it.
 */
#ifndef PAYCARD_EMV_DATA_H
#define PAYCARD_EMV_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emv/error.h"

#define EMV_DATA_MAX_OBJECTS	64
#define EMV_VALUE_MAX		252	/* largest value a short R-APDU carries */

struct emv_object {
	uint32_t tag;
	uint16_t len;
	uint8_t value[EMV_VALUE_MAX];
};

struct emv_data {
	struct emv_object obj[EMV_DATA_MAX_OBJECTS];
	size_t n;
};

void emv_data_init(struct emv_data *d);

/* Erase every value (card data is sensitive) and empty the store. */
void emv_data_wipe(struct emv_data *d);

/* Set or replace @tag.  Length checked against emv_tag_info. */
enum emv_status emv_data_set(struct emv_data *d, uint32_t tag,
			     const uint8_t *value, size_t len);

/* Add @tag from the card: as emv_data_set, but a tag already present is
 * EMV_E_DUPLICATE_TAG (Book 3 10.2: redundant objects end the read). */
enum emv_status emv_data_add(struct emv_data *d, uint32_t tag,
			     const uint8_t *value, size_t len);

/* The value of @tag and its length, or NULL when absent. */
const uint8_t *emv_data_get(const struct emv_data *d, uint32_t tag,
			    size_t *len);

/* The object itself (tag, length, value), or NULL when absent. */
const struct emv_object *emv_data_object(const struct emv_data *d,
					 uint32_t tag);

bool emv_data_has(const struct emv_data *d, uint32_t tag);

/* The object from the first of @n stores that holds @tag (terminal data,
 * card data...: the caller's order is the precedence), or NULL. */
const struct emv_object *emv_data_lookup(const struct emv_data *const *sources,
					 size_t n, uint32_t tag);

/*
 * Parse @buf, which must be exactly one object with tag @template, and add
 * every primitive object found inside it, descending into nested
 * templates (A5, BF0C, 61...).  Zero bytes between objects (Book 3 5.2
 * padding) are skipped.  Errors: EMV_E_TLV, EMV_E_TEMPLATE,
 * EMV_E_DUPLICATE_TAG, EMV_E_DATA_LENGTH, EMV_E_STORE_FULL.
 */
enum emv_status emv_data_parse_template(struct emv_data *d, uint32_t template,
					const uint8_t *buf, size_t len);

/* Add the primitive objects of a TLV list (no outer template). */
enum emv_status emv_data_parse_list(struct emv_data *d, const uint8_t *buf,
				    size_t len);

#endif
