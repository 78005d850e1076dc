// SPDX-License-Identifier: MIT
#include "paycardd/config.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <ini.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paycardd/log.h"

/* State of one parse: the first error wins, its line comes from inih. */
struct parse_ctx {
	struct paycardd_config *c;
	char msg[256];
	bool failed;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parse_ctx *p, const char *fmt, ...)
{
	va_list ap;

	if (!p->failed) {
		va_start(ap, fmt);
		vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
		va_end(ap);
		p->failed = true;
	}
	return 0;	/* tells inih this line is an error */
}

static bool parse_uint(const char *v, unsigned long min, unsigned long max,
		       int base, unsigned long *out)
{
	char *end;
	unsigned long n;

	if (!isdigit((unsigned char)v[0]))
		return false;
	errno = 0;
	n = strtoul(v, &end, base);
	if (errno || *end || n < min || n > max)
		return false;
	*out = n;
	return true;
}

static bool parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool copy_string(char *dst, size_t size, const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n >= size)
		return false;
	memcpy(dst, v, n + 1);
	return true;
}

static bool parse_abs_path(char *dst, size_t size, const char *v)
{
	return v[0] == '/' && copy_string(dst, size, v);
}

/* One uid or gid: a number or a name resolved now. */
static bool parse_id(const char *tok, bool is_group, uint32_t *out)
{
	unsigned long n;

	if (parse_uint(tok, 0, UINT32_MAX - 1, 10, &n)) {
		*out = (uint32_t)n;
		return true;
	}
	if (is_group) {
		struct group *g = getgrnam(tok);

		if (!g)
			return false;
		*out = g->gr_gid;
	} else {
		struct passwd *pw = getpwnam(tok);

		if (!pw)
			return false;
		*out = pw->pw_uid;
	}
	return true;
}

/* Comma- or space-separated list; an empty value is an empty list. */
static int parse_id_list(struct parse_ctx *p, struct id_list *l, const char *v,
			 bool is_group)
{
	char buf[1024], *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return fail(p, "%s list too long", is_group ? "gid" : "uid");
	strcpy(buf, v);
	l->n = 0;
	for (char *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		if (l->n == ROLE_IDS_MAX)
			return fail(p, "more than 64 ids in one list");
		if (!parse_id(tok, is_group, &l->ids[l->n]))
			return fail(p, "unknown %s '%s'", is_group ? "group" : "user", tok);
		l->n++;
	}
	return 1;
}

/* ISO 8583 ans fields: printable ASCII, exactly @len characters here. */
static bool parse_ans_exact(char *dst, size_t len, const char *v)
{
	if (strlen(v) != len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)v[i]))
			return false;
	memcpy(dst, v, len + 1);
	return true;
}

static bool parse_version(const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len >= 32 || !isdigit((unsigned char)v[0]) ||
	    !isdigit((unsigned char)v[len - 1]))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (v[i] == '.' && v[i + 1] == '.')
			return false;
		if (!isdigit((unsigned char)v[i]) && v[i] != '.')
			return false;
	}
	return true;
}

static int daemon_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct paycardd_config *c = p->c;
	unsigned long n;

	if (strcmp(name, "log_level") == 0) {
		int level = log_level_from_name(v);

		if (level < 0)
			return fail(p, "log_level '%s': use error, warning, notice, info or debug", v);
		c->log_level = level;
	} else if (strcmp(name, "socket") == 0) {
		if (!parse_abs_path(c->socket_path, sizeof(c->socket_path), v))
			return fail(p, "socket '%s': need an absolute path under 108 bytes", v);
	} else if (strcmp(name, "socket_mode") == 0) {
		if (!parse_uint(v, 0, 0777, 8, &n))
			return fail(p, "socket_mode '%s': need an octal mode <= 0777", v);
		c->socket_mode = (unsigned)n;
	} else if (strcmp(name, "state_dir") == 0) {
		if (!parse_abs_path(c->state_dir, sizeof(c->state_dir), v))
			return fail(p, "state_dir '%s': need an absolute path", v);
	} else if (strcmp(name, "runtime_dir") == 0) {
		if (!parse_abs_path(c->runtime_dir, sizeof(c->runtime_dir), v))
			return fail(p, "runtime_dir '%s': need an absolute path", v);
	} else if (strcmp(name, "localedir") == 0) {
		if (!parse_abs_path(c->localedir, sizeof(c->localedir), v))
			return fail(p, "localedir '%s': need an absolute path", v);
	} else if (strcmp(name, "system_bus") == 0) {
		if (strcmp(v, "auto") == 0)
			c->system_bus = SYSTEM_BUS_AUTO;
		else if (strcmp(v, "yes") == 0)
			c->system_bus = SYSTEM_BUS_YES;
		else if (strcmp(v, "no") == 0)
			c->system_bus = SYSTEM_BUS_NO;
		else
			return fail(p, "system_bus '%s': use auto, yes or no", v);
	} else {
		return fail(p, "unknown key '%s' in [%s]", name, "daemon");
	}
	return 1;
}

static int limits_key(struct parse_ctx *p, const char *name, const char *v)
{
	static const struct {
		const char *name;
		size_t offset;
		unsigned long min, max;
	} keys[] = {
		{ "max_connections", offsetof(struct limits, max_connections), 1, 4096 },
		{ "max_message_size", offsetof(struct limits, max_message_size), 1024, 16 << 20 },
		{ "max_queued_messages", offsetof(struct limits, max_queued_messages), 8, 65536 },
		{ "idle_timeout_s", offsetof(struct limits, idle_timeout_s), 1, 86400 },
		{ "auth_timeout_s", offsetof(struct limits, auth_timeout_s), 1, 600 },
	};
	unsigned long n;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(name, keys[i].name) != 0)
			continue;
		if (!parse_uint(v, keys[i].min, keys[i].max, 10, &n)) {
			char range[64];

			snprintf(range, sizeof(range), "%lu..%lu", keys[i].min, keys[i].max);
			return fail(p, "%s: need a number in %s", name, range);
		}
		*(unsigned *)((char *)&p->c->limits + keys[i].offset) = (unsigned)n;
		return 1;
	}
	return fail(p, "unknown key '%s' in [%s]", name, "limits");
}

static int roles_key(struct parse_ctx *p, const char *name, const char *v)
{
	char role[16];
	const char *us = strrchr(name, '_');
	enum role r;

	if (!us || (size_t)(us - name) >= sizeof(role))
		return fail(p, "unknown key '%s' in [%s]", name, "roles");
	memcpy(role, name, (size_t)(us - name));
	role[us - name] = '\0';
	r = role_from_name(role);
	if (r == ROLE_NONE)
		return fail(p, "unknown key '%s' in [%s]", name, "roles");
	if (strcmp(us, "_uids") == 0)
		return parse_id_list(p, &p->c->roles.uids[r], v, false);
	if (strcmp(us, "_gids") == 0)
		return parse_id_list(p, &p->c->roles.gids[r], v, true);
	return fail(p, "unknown key '%s' in [%s]", name, "roles");
}

static int terminal_key(struct parse_ctx *p, const char *name, const char *v)
{
	if (strcmp(name, "terminal_id") == 0) {
		if (!parse_ans_exact(p->c->terminal_id, 8, v))
			return fail(p, "terminal_id '%s': need exactly 8 letters or digits", v);
	} else if (strcmp(name, "merchant_id") == 0) {
		if (!parse_ans_exact(p->c->merchant_id, 15, v))
			return fail(p, "merchant_id '%s': need exactly 15 letters or digits", v);
	} else {
		return fail(p, "unknown key '%s' in [%s]", name, "terminal");
	}
	return 1;
}

static int readers_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct paycardd_config *c = p->c;

	if (strcmp(name, "backend") == 0) {
		if (strcmp(v, "kernel") == 0)
			c->backend = BACKEND_KERNEL;
		else if (strcmp(v, "fake") == 0)
			c->backend = BACKEND_FAKE;
		else
			return fail(p, "backend '%s': use kernel or fake", v);
	} else if (strcmp(name, "fake_control") == 0) {
		if (!parse_abs_path(c->fake_control, sizeof(c->fake_control), v))
			return fail(p, "fake_control '%s': need an absolute path under 108 bytes", v);
	} else if (strcmp(name, "module_autoload") == 0) {
		if (!parse_bool(v, &c->module_autoload))
			return fail(p, "module_autoload '%s': use yes or no", v);
	} else if (strcmp(name, "usb_fallback") == 0) {
		if (!parse_bool(v, &c->usb_fallback))
			return fail(p, "usb_fallback '%s': use yes or no", v);
	} else {
		return fail(p, "unknown key '%s' in [%s]", name, "readers");
	}
	return 1;
}

/* [firmware] MODEL = MINIMUM_VERSION */
static int firmware_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct paycardd_config *c = p->c;
	struct firmware_rule *rule;

	if (strlen(name) >= sizeof(rule->model))
		return fail(p, "model name '%s' longer than 31 bytes", name);
	if (!parse_version(v))
		return fail(p, "firmware minimum '%s' for %s: need digits and dots like 1.4.0", v, name);
	if (c->n_firmware == CONFIG_FIRMWARE_RULES)
		return fail(p, "more than 16 firmware rules");
	rule = &c->firmware[c->n_firmware++];
	strcpy(rule->model, name);
	strcpy(rule->min_version, v);
	return 1;
}

static int notices_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct notice_policy *np = &p->c->notices;
	unsigned long n;
	char cls[32];
	int ci;

	if (strcmp(name, "marketing_muted") == 0) {
		if (!parse_bool(v, &np->marketing_muted))
			return fail(p, "marketing_muted '%s': use yes or no", v);
		return 1;
	}
	if (strcmp(name, "dedup_window_s") == 0) {
		if (!parse_uint(v, 0, 7 * 86400, 10, &n))
			return fail(p, "dedup_window_s '%s': need 0..604800", v);
		np->dedup_window_s = (unsigned)n;
		return 1;
	}
	/* <class>_per_hour */
	if (strlen(name) < sizeof(cls) && strlen(name) > 9 &&
	    strcmp(name + strlen(name) - 9, "_per_hour") == 0) {
		memcpy(cls, name, strlen(name) - 9);
		cls[strlen(name) - 9] = '\0';
		ci = notice_class_from_name(cls);
		if (ci >= 0) {
			if (!parse_uint(v, 0, 3600, 10, &n))
				return fail(p, "%s '%s': need 0..3600", name, v);
			np->per_hour[ci] = (unsigned)n;
			return 1;
		}
	}
	return fail(p, "unknown key '%s' in [%s]", name, "notices");
}

static int handle_line(void *user, const char *section, const char *name, const char *value)
{
	static const struct {
		const char *section;
		int (*fn)(struct parse_ctx *p, const char *name, const char *v);
	} sections[] = {
		{ "daemon", daemon_key }, { "limits", limits_key },
		{ "roles", roles_key }, { "terminal", terminal_key },
		{ "readers", readers_key }, { "firmware", firmware_key },
		{ "notices", notices_key },
	};
	struct parse_ctx *p = user;

	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strcmp(section, sections[i].section) == 0)
			return sections[i].fn(p, name, value);
	if (section[0] == '\0')
		return fail(p, "key '%s' outside any section", name);
	return fail(p, "unknown section [%s]", section);
}

void config_set_defaults(struct paycardd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_INFO;
	strcpy(c->socket_path, "/run/paycard/paycardd.sock");
	c->socket_mode = 0666;	/* every method checks the caller's role itself */
	strcpy(c->state_dir, "/var/lib/paycard");
	strcpy(c->runtime_dir, "/run/paycard");
	strcpy(c->localedir, "/usr/share/locale");
	c->system_bus = SYSTEM_BUS_AUTO;
	c->limits = (struct limits){
		.max_connections = 256,
		.max_message_size = 65536,
		.max_queued_messages = 128,
		.idle_timeout_s = 600,
		.auth_timeout_s = 5,
	};
	c->roles.uids[ROLE_ADMIN].ids[0] = 0;	/* root administers */
	c->roles.uids[ROLE_ADMIN].n = 1;
	c->backend = BACKEND_KERNEL;
	c->module_autoload = true;
	c->usb_fallback = true;
	c->notices.per_hour[NOTICE_SECURITY] = 60;
	c->notices.per_hour[NOTICE_MAINTENANCE] = 6;
	c->notices.per_hour[NOTICE_MARKETING] = 1;
	c->notices.per_hour[NOTICE_INFO] = 30;
	c->notices.dedup_window_s = 86400;
}

static int finish(struct parse_ctx *p, const char *name, int line, char *err, size_t err_len)
{
	if (line == 0 && !p->failed)
		return 0;
	if (line > 0 && !p->failed)
		snprintf(p->msg, sizeof(p->msg), "syntax error (need [section] or key = value)");
	snprintf(err, err_len, "%s:%d: %s", name, line, p->msg);
	return -1;
}

int config_parse_string(struct paycardd_config *c, const char *name,
			const char *text, char *err, size_t err_len)
{
	struct parse_ctx p = { .c = c };

	/* the firmware table is replaced, never merged, by a parse */
	c->n_firmware = 0;
	return finish(&p, name, ini_parse_string(text, handle_line, &p), err, err_len);
}

int config_parse_file(struct paycardd_config *c, const char *path,
		      char *err, size_t err_len)
{
	struct parse_ctx p = { .c = c };
	FILE *f = fopen(path, "re");
	int line;

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? -2 : -1;
	}
	c->n_firmware = 0;
	line = ini_parse_file(f, handle_line, &p);
	fclose(f);
	return finish(&p, path, line, err, err_len);
}

void config_apply_reloadable(struct paycardd_config *to, const struct paycardd_config *from)
{
	to->log_level = from->log_level;
	to->limits = from->limits;
	to->roles = from->roles;
	memcpy(to->terminal_id, from->terminal_id, sizeof(to->terminal_id));
	memcpy(to->merchant_id, from->merchant_id, sizeof(to->merchant_id));
	memcpy(to->firmware, from->firmware, sizeof(to->firmware));
	to->n_firmware = from->n_firmware;
	to->notices = from->notices;
}

int firmware_version_compare(const char *a, const char *b)
{
	while (*a || *b) {
		unsigned long x = strtoul(a, (char **)&a, 10);
		unsigned long y = strtoul(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		/* skip to the next component; a missing one counts as 0 */
		while (*a && *a != '.')
			a++;
		while (*b && *b != '.')
			b++;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
	}
	return 0;
}

const char *config_firmware_minimum(const struct paycardd_config *c, const char *model)
{
	for (size_t i = 0; i < c->n_firmware; i++)
		if (strcmp(c->firmware[i].model, model) == 0)
			return c->firmware[i].min_version;
	return NULL;
}
