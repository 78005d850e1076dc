// SPDX-License-Identifier: MIT
#include "paycardd/roles.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_NONE] = "none", [ROLE_CASHIER] = "cashier",
	[ROLE_SUPERVISOR] = "supervisor", [ROLE_ADMIN] = "admin",
};

bool id_list_contains(const struct id_list *l, uint32_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return true;
	return false;
}

static bool role_matches(const struct role_table *t, enum role r, uid_t uid,
			 gid_t gid, const gid_t *groups, size_t n_groups)
{
	if (id_list_contains(&t->uids[r], uid) || id_list_contains(&t->gids[r], gid))
		return true;
	for (size_t i = 0; i < n_groups; i++)
		if (id_list_contains(&t->gids[r], groups[i]))
			return true;
	return false;
}

enum role role_for_caller(const struct role_table *t, uid_t uid, gid_t gid,
			  const gid_t *groups, size_t n_groups)
{
	for (enum role r = ROLE_ADMIN; r > ROLE_NONE; r--)
		if (role_matches(t, r, uid, gid, groups, n_groups))
			return r;
	return ROLE_NONE;
}

const char *role_name(enum role r)
{
	return r < ROLE_COUNT ? role_names[r] : "none";
}

enum role role_from_name(const char *name)
{
	for (enum role r = ROLE_CASHIER; r < ROLE_COUNT; r++)
		if (strcmp(role_names[r], name) == 0)
			return r;
	return ROLE_NONE;
}
