/* SPDX-License-Identifier: MIT */
/* The kernel module: loaded? (libkmod) load it when allowed; does its ABI
 * version (sysfs parameter abi_version) match the uapi header we were built
 * against? */
#ifndef PAYCARDD_MODULE_CHECK_H
#define PAYCARDD_MODULE_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define PAYCARD_MODULE_NAME	"paycard"
#define PAYCARD_SYSFS_MODULE	"/sys/module/paycard"

enum module_status {
	MODULE_OK,		/* loaded, ABI matches */
	MODULE_NOT_LOADED,	/* absent and not loaded (not allowed, or failed) */
	MODULE_ABI_MISMATCH,
	MODULE_ABI_UNKNOWN,	/* loaded but abi_version unreadable */
};

/*
 * Read <@sysfs_dir>/parameters/abi_version and compare with
 * PAYCARD_ABI_VERSION.  @found receives the module's number (0 if unread).
 */
enum module_status module_abi_check(const char *sysfs_dir, unsigned *found);

/* Check the loaded module (loading it first when @autoload) and describe the
 * outcome in @state ("loaded, ABI 1", "not loaded: ...", ...). */
enum module_status module_check(bool autoload, char *state, size_t state_len);

#endif
