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
#include "paycardd/reader_source.h"

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

/* [terminal] keys of the transaction engine */
static int terminal_engine_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct engine_config *e = &p->c->engine;
	unsigned long n;

	if (strcmp(name, "merchant_name") == 0) {
		if (!v[0] || !copy_string(e->merchant_name, sizeof(e->merchant_name), v))
			return fail(p, "merchant_name: need 1..40 bytes");
	} else if (strcmp(name, "operator_id") == 0) {
		if (!parse_ans_exact(e->operator_id, 3, v))
			return fail(p, "operator_id '%s': need exactly 3 letters or digits", v);
	} else if (strcmp(name, "sign_in_keys") == 0) {
		if (strcmp(v, "001") && strcmp(v, "003") && strcmp(v, "004"))
			return fail(p, "sign_in_keys '%s': use 001 (single), 003 (double) or 004 (with TDK)", v);
		strcpy(e->netcode, v);
	} else if (strcmp(name, "auto_sign_in") == 0) {
		if (!parse_bool(v, &e->auto_sign_in))
			return fail(p, "auto_sign_in '%s': use yes or no", v);
	} else if (strcmp(name, "reversal_attempts") == 0) {
		if (!parse_uint(v, 1, 100, 10, &n))
			return fail(p, "reversal_attempts '%s': need 1..100", v);
		e->reversal_attempts = (unsigned)n;
	} else if (strcmp(name, "chip_fallback") == 0) {
		if (!parse_bool(v, &e->chip_fallback))
			return fail(p, "chip_fallback '%s': use yes or no", v);
	} else if (strcmp(name, "pin_bypass") == 0) {
		if (!parse_bool(v, &e->pin_bypass))
			return fail(p, "pin_bypass '%s': use yes or no", v);
	} else if (strcmp(name, "reversal_retry_s") == 0) {
		if (!parse_uint(v, 2, 3600, 10, &n))
			return fail(p, "reversal_retry_s '%s': need 2..3600", v);
		e->reversal_retry_s = (unsigned)n;
	} else if (strcmp(name, "pin_timeout_s") == 0) {
		if (!parse_uint(v, 5, 300, 10, &n))
			return fail(p, "pin_timeout_s '%s': need 5..300", v);
		e->pin_timeout_s = (unsigned)n;
	} else {
		return fail(p, "unknown key '%s' in [%s]", name, "terminal");
	}
	return 1;
}

/* HOST:PORT with a non-empty host and a port 1..65535 */
static bool parse_host_port(char *dst, size_t size, const char *v)
{
	const char *colon = strrchr(v, ':');
	unsigned long port;

	return colon && colon != v && parse_uint(colon + 1, 1, 65535, 10, &port) &&
	       copy_string(dst, size, v);
}

static int host_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct host_config *h = &p->c->host;
	unsigned long n;

	if (strcmp(name, "primary") == 0 || strcmp(name, "backup") == 0) {
		if (!parse_host_port(name[0] == 'p' ? h->primary : h->backup, sizeof(h->primary), v))
			return fail(p, "%s '%s': need HOST:PORT", name, v);
	} else if (strcmp(name, "tls") == 0) {
		if (!parse_bool(v, &h->tls))
			return fail(p, "tls '%s': use yes or no", v);
	} else if (strcmp(name, "ca_file") == 0 || strcmp(name, "cert_file") == 0 ||
		   strcmp(name, "key_file") == 0) {
		char *dst = name[0] == 'c' ? (name[1] == 'a' ? h->ca_file : h->cert_file) : h->key_file;

		if (!parse_abs_path(dst, CONFIG_PATH_LEN, v))
			return fail(p, "%s '%s': need an absolute path", name, v);
	} else if (strcmp(name, "server_name") == 0) {
		if (!v[0] || !copy_string(h->server_name, sizeof(h->server_name), v))
			return fail(p, "server_name: need 1..127 bytes");
	} else if (strcmp(name, "connect_timeout_ms") == 0 || strcmp(name, "io_timeout_ms") == 0) {
		if (!parse_uint(v, 100, 120000, 10, &n))
			return fail(p, "%s '%s': need 100..120000", name, v);
		*(name[0] == 'c' ? &h->connect_timeout_ms : &h->io_timeout_ms) = (unsigned)n;
	} else {
		return fail(p, "unknown key '%s' in [%s]", name, "host");
	}
	return 1;
}

static int keys_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct engine_config *e = &p->c->engine;

	if (strcmp(name, "store") == 0) {
		if (!parse_abs_path(e->keystore, sizeof(e->keystore), v))
			return fail(p, "store '%s': need an absolute path", v);
	} else if (strcmp(name, "storage_key") == 0) {
		if (!parse_abs_path(e->storage_key, sizeof(e->storage_key), v))
			return fail(p, "storage_key '%s': need an absolute path", v);
	} else if (strcmp(name, "ca_keys") == 0) {
		if (!parse_abs_path(e->ca_keys, sizeof(e->ca_keys), v))
			return fail(p, "ca_keys '%s': need an absolute path", v);
	} else if (strcmp(name, "pin_key") == 0) {
		if (strcmp(v, "session") && strcmp(v, "dukpt"))
			return fail(p, "pin_key '%s': use session (the PIK from sign-in) or dukpt", v);
		e->pin_dukpt = v[0] == 'd';
	} else {
		return fail(p, "unknown key '%s' in [%s]", name, "keys");
	}
	return 1;
}

/* [fees] debit = RATE_BP [CAP_FEN], credit = ..., credit_prefixes = BIN,... */
static int fees_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct fee_table *t = &p->c->engine.fees;
	char buf[256], *save = NULL;

	if (strcmp(name, "debit") == 0 || strcmp(name, "credit") == 0) {
		if (!fee_rule_parse(v, &t->rule[name[0] == 'd' ? CARD_DEBIT : CARD_CREDIT]))
			return fail(p, "%s '%s': need a rate in basis points 0..10000 and an optional cap in fen (\"50 2000\")", name, v);
		return 1;
	}
	if (strcmp(name, "credit_prefixes") != 0)
		return fail(p, "unknown key '%s' in [%s]", name, "fees");
	if (!copy_string(buf, sizeof(buf), v))
		return fail(p, "credit_prefixes too long");
	t->n_credit_prefixes = 0;
	for (char *tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save)) {
		size_t len = strlen(tok);

		if (t->n_credit_prefixes == FEE_CREDIT_PREFIXES || len < 1 || len > 11 ||
		    strspn(tok, "0123456789") != len)
			return fail(p, "credit_prefixes: need up to 16 BIN prefixes of 1..11 digits");
		strcpy(t->credit_prefixes[t->n_credit_prefixes++], tok);
	}
	return 1;
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
		return terminal_engine_key(p, name, v);
	}
	return 1;
}

/* backend = NAME: "kernel", or a reader source this binary was linked
 * with (reader_source.h); the production paycardd has none */
static int readers_backend(struct parse_ctx *p, const char *v)
{
	char known[128] = "kernel";

	if (strcmp(v, "kernel") == 0) {
		p->c->reader_source = NULL;
		return 1;
	}
	for (const struct reader_source *const *s = reader_sources; *s; s++) {
		if (strcmp(v, (*s)->name) == 0) {
			p->c->reader_source = *s;
			return 1;
		}
		snprintf(known + strlen(known), sizeof(known) - strlen(known), " or %s", (*s)->name);
	}
	return fail(p, "backend '%s': this paycardd has no such backend (test backends are only in test builds); use %s",
		    v, known);
}

/* a source's control socket key (fake_control); NULL: no source has @name */
static const struct reader_source *source_with_control_key(const char *name)
{
	for (const struct reader_source *const *s = reader_sources; *s; s++)
		if (strcmp(name, (*s)->control_key) == 0)
			return *s;
	return NULL;
}

static int readers_key(struct parse_ctx *p, const char *name, const char *v)
{
	struct paycardd_config *c = p->c;

	if (strcmp(name, "backend") == 0) {
		return readers_backend(p, v);
	} else if (source_with_control_key(name)) {
		if (!parse_abs_path(c->source_control, sizeof(c->source_control), v))
			return fail(p, "%s '%s': need an absolute path under 108 bytes", name, v);
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
		{ "notices", notices_key }, { "host", host_key },
		{ "keys", keys_key }, { "fees", fees_key },
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
	c->module_autoload = true;
	c->usb_fallback = true;
	c->notices.per_hour[NOTICE_SECURITY] = 60;
	c->notices.per_hour[NOTICE_MAINTENANCE] = 6;
	c->notices.per_hour[NOTICE_MARKETING] = 1;
	c->notices.per_hour[NOTICE_INFO] = 30;
	c->notices.dedup_window_s = 86400;
	c->host.connect_timeout_ms = 5000;
	c->host.io_timeout_ms = 30000;
	strcpy(c->engine.operator_id, "001");
	strcpy(c->engine.netcode, "003");
	c->engine.auto_sign_in = true;
	c->engine.reversal_attempts = 3;
	c->engine.pin_timeout_s = 60;
	c->engine.reversal_retry_s = 60;
	/* DESIGN.md's example rules: debit 0.5 % capped at 20 CNY, credit 0.6 % */
	c->engine.fees.rule[CARD_DEBIT] = (struct fee_rule){ 50, 2000 };
	c->engine.fees.rule[CARD_CREDIT] = (struct fee_rule){ 60, 0 };
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
	to->engine.fees = from->engine.fees;
	memcpy(to->engine.merchant_name, from->engine.merchant_name,
	       sizeof(to->engine.merchant_name));
	memcpy(to->engine.operator_id, from->engine.operator_id, sizeof(to->engine.operator_id));
	to->engine.reversal_attempts = from->engine.reversal_attempts;
	to->engine.reversal_retry_s = from->engine.reversal_retry_s;
	to->engine.pin_timeout_s = from->engine.pin_timeout_s;
	to->engine.chip_fallback = from->engine.chip_fallback;
	to->engine.pin_bypass = from->engine.pin_bypass;
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
