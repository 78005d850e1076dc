// SPDX-License-Identifier: MIT
/*
 * Working keys of a sign-in answer (field 62 of the 0810).  Every key set
 * is a list of slots: the key's ciphertext, zero padding, a 4-byte check
 * value.  In 003 and 004 the PIK (and TDK) are double-length while the MAK
 * is single-length: 8 bytes of ciphertext followed by 8 zero bytes, its
 * check value a single-DES one (sources in docs/unionpay-messages.md).
 * Sources disagree on those 8 zero bytes: an open-source UnionPay terminal
 * reads 003/004 without them (32/52 bytes), so that compact form is
 * accepted too, told apart by the length.
 */
#include <string.h>

#include "txn/engine.h"
#include "txn/workkeys.h"

#define CHECK_VALUE_LEN	4

struct key_slot {
	const char *name;
	enum pcc_key_usage usage;
	uint8_t key_len;	/* ciphertext bytes */
	uint8_t zero_len;	/* zero bytes after it */
};

struct key_set {
	const char *netcode;	/* 60.3 */
	uint8_t count;
	struct key_slot slots[3];
};

static const struct key_set key_sets[] = {
	{ "001", 2, { { TXN_KEY_PIN, PCC_USAGE_PIN, 8, 0 },
		      { TXN_KEY_MAC, PCC_USAGE_MAC, 8, 0 } } },
	{ "003", 2, { { TXN_KEY_PIN, PCC_USAGE_PIN, 16, 0 },
		      { TXN_KEY_MAC, PCC_USAGE_MAC, 8, 8 } } },
	{ "004", 3, { { TXN_KEY_PIN, PCC_USAGE_PIN, 16, 0 },
		      { TXN_KEY_MAC, PCC_USAGE_MAC, 8, 8 },
		      { TXN_KEY_DATA, PCC_USAGE_DATA, 16, 0 } } },
	{ "003", 2, { { TXN_KEY_PIN, PCC_USAGE_PIN, 16, 0 },
		      { TXN_KEY_MAC, PCC_USAGE_MAC, 8, 0 } } },
	{ "004", 3, { { TXN_KEY_PIN, PCC_USAGE_PIN, 16, 0 },
		      { TXN_KEY_MAC, PCC_USAGE_MAC, 8, 0 },
		      { TXN_KEY_DATA, PCC_USAGE_DATA, 16, 0 } } },
};

static size_t slot_size(const struct key_slot *s)
{
	return (size_t)s->key_len + s->zero_len + CHECK_VALUE_LEN;
}

static size_t set_size(const struct key_set *set)
{
	size_t n = 0;

	for (size_t i = 0; i < set->count; i++)
		n += slot_size(&set->slots[i]);
	return n;
}

/* The layout of key set @netcode that is @len bytes long, or NULL. */
static const struct key_set *key_set_of(const char *netcode, size_t len)
{
	for (size_t i = 0; i < sizeof(key_sets) / sizeof(key_sets[0]); i++)
		if (!strcmp(key_sets[i].netcode, netcode) && set_size(&key_sets[i]) == len)
			return &key_sets[i];
	return NULL;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

enum pcc_status workkeys_load(struct pcc_keystore *ks, const char *master,
			      const char *netcode, const uint8_t *f62,
			      size_t len, const char **refused)
{
	const struct key_set *set = f62 ? key_set_of(netcode, len) : NULL;
	enum pcc_status st;

	*refused = "field 62";
	if (!set)
		return PCC_E_DATA_LENGTH;
	for (size_t i = 0; i < set->count; i++) {
		const struct key_slot *s = &set->slots[i];

		*refused = s->name;
		if (!all_zero(f62 + s->key_len, s->zero_len))
			return PCC_E_DATA_LENGTH;
		st = pcc_keystore_load_working_key(ks, master, s->name, s->usage, f62,
						   s->key_len,
						   f62 + s->key_len + s->zero_len);
		if (st != PCC_OK)
			return st;
		f62 += slot_size(s);
	}
	*refused = NULL;
	return PCC_OK;
}
