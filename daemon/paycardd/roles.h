/* SPDX-License-Identifier: MIT */
/* Caller roles: which uids and gids are cashiers, supervisors, admins.
 * Each role includes the ones below it (an admin may do what a supervisor
 * may, a supervisor what a cashier may). */
#ifndef PAYCARDD_ROLES_H
#define PAYCARDD_ROLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum role {
	ROLE_NONE = 0,
	ROLE_CASHIER,
	ROLE_SUPERVISOR,
	ROLE_ADMIN,
	ROLE_COUNT
};

#define ROLE_IDS_MAX	64

struct id_list {
	uint32_t ids[ROLE_IDS_MAX];
	size_t n;
};

struct role_table {
	struct id_list uids[ROLE_COUNT];	/* index ROLE_NONE unused */
	struct id_list gids[ROLE_COUNT];
};

/* Highest role granted to a caller with effective @uid, @gid and the
 * supplementary groups @groups[0..@n_groups). */
enum role role_for_caller(const struct role_table *t, uid_t uid, gid_t gid,
			  const gid_t *groups, size_t n_groups);

const char *role_name(enum role r);

/* "cashier" -> ROLE_CASHIER ...; ROLE_NONE for anything else. */
enum role role_from_name(const char *name);

bool id_list_contains(const struct id_list *l, uint32_t id);

#endif
