// SPDX-License-Identifier: MIT
#include "paycardd/readers/module_check.h"

#include <errno.h>
#include <libkmod.h>
#include <linux/paycard.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/log.h"

enum module_status module_abi_check(const char *sysfs_dir, unsigned *found)
{
	char path[512], buf[32], *end;
	unsigned long v;
	FILE *f;

	*found = 0;
	snprintf(path, sizeof(path), "%s/parameters/abi_version", sysfs_dir);
	f = fopen(path, "re");
	if (!f)
		return MODULE_ABI_UNKNOWN;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return MODULE_ABI_UNKNOWN;
	}
	fclose(f);
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || end == buf || (*end && *end != '\n') || v > 0xFFFFFFFFUL)
		return MODULE_ABI_UNKNOWN;
	*found = (unsigned)v;
	return v == PAYCARD_ABI_VERSION ? MODULE_OK : MODULE_ABI_MISMATCH;
}

/* 1 loaded (live or coming), 0 not loaded, -errno when kmod cannot tell */
static int module_loaded(struct kmod_module *mod)
{
	int state = kmod_module_get_initstate(mod);

	if (state == -ENOENT)
		return 0;
	if (state < 0)
		return state;
	return state == KMOD_MODULE_LIVE || state == KMOD_MODULE_COMING ||
	       state == KMOD_MODULE_BUILTIN;
}

static int load_module(struct kmod_ctx *ctx, struct kmod_module **mod, bool autoload)
{
	int r = kmod_module_new_from_name(ctx, PAYCARD_MODULE_NAME, mod);

	if (r < 0)
		return r;
	r = module_loaded(*mod);
	if (r != 0 || !autoload)
		return r;
	r = kmod_module_probe_insert_module(*mod, 0, NULL, NULL, NULL, NULL);
	return r < 0 ? r : module_loaded(*mod);
}

/* libkmod's own messages go to our log, not straight to stderr */
__attribute__((format(printf, 6, 0)))
static void kmod_log(void *data, int priority, const char *file, int line, const char *fn,
		     const char *format, va_list args)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), format, args);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("libkmod: %s", msg);
}

enum module_status module_check(bool autoload, char *state, size_t state_len)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx = kmod_new(NULL, NULL);
	enum module_status st;
	unsigned abi;
	int r;

	if (!ctx) {
		snprintf(state, state_len, "unknown: libkmod unavailable");
		return MODULE_NOT_LOADED;
	}
	kmod_set_log_fn(ctx, kmod_log, NULL);
	r = load_module(ctx, &mod, autoload);
	kmod_module_unref(mod);
	kmod_unref(ctx);
	if (r <= 0) {
		if (r == -ENOENT)
			snprintf(state, state_len, "not loaded: not installed for this kernel");
		else if (r == -EPERM)
			snprintf(state, state_len, "not loaded: loading not allowed here (udev loads it)");
		else
			snprintf(state, state_len, "not loaded%s%s", r < 0 ? ": " : "",
				 r < 0 ? strerror(-r) : (autoload ? "" : " (autoload off)"));
		return MODULE_NOT_LOADED;
	}
	st = module_abi_check(PAYCARD_SYSFS_MODULE, &abi);
	if (st == MODULE_OK)
		snprintf(state, state_len, "loaded, ABI %u", abi);
	else if (st == MODULE_ABI_MISMATCH)
		snprintf(state, state_len, "ABI mismatch: module %u, paycardd %u", abi,
			 PAYCARD_ABI_VERSION);
	else
		snprintf(state, state_len, "loaded, ABI version unreadable");
	return st;
}
