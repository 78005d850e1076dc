// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Card profile parser and APDU matcher (see emu_profile.h). */
#include "emu_profile.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card/virtual_card.h"

/* The largest R-APDU of the virtual card: 256 data bytes + SW. */
#define VCARD_RAPDU_MAX	258

/* Where a line is parsed: for relative paths and error details. */
struct parse_ctx {
	const char *path;
	char *err;
	size_t err_size;
};

static int hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int emu_hex_parse(const char *hex, uint8_t *out, size_t size)
{
	size_t n = 0;
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (isspace((unsigned char)*hex))
			continue;
		v = hex_nibble(*hex);
		if (v < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n == size)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

/* Pattern: hex pairs, ".." wildcards, optional final "*". */
static int parse_pattern(struct emu_rule *r, const char *s)
{
	size_t cap = strlen(s) / 2 + 1;

	r->pattern = calloc(cap, 1);
	r->mask = calloc(cap, 1);
	if (!r->pattern || !r->mask)
		return -1;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
		} else if (*s == '*') {
			r->any_tail = true;
			s++;
			while (isspace((unsigned char)*s))
				s++;
			return *s ? -1 : 0;
		} else if (s[0] == '.' && s[1] == '.') {
			r->mask[r->pattern_len++] = 0;
			s += 2;
		} else {
			int hi = hex_nibble(s[0]), lo = s[1] ? hex_nibble(s[1]) : -1;

			if (hi < 0 || lo < 0)
				return -1;
			r->pattern[r->pattern_len] = (uint8_t)(hi << 4 | lo);
			r->mask[r->pattern_len++] = 1;
			s += 2;
		}
	}
	return 0;
}

static int parse_sw(const char *s, uint8_t sw[2])
{
	return emu_hex_parse(s, sw, 2) == 2 ? 0 : -1;
}

static int parse_response(struct emu_rule *r, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	r->rsp = malloc(strlen(s) / 2 + 2);
	if (!r->rsp)
		return -1;
	if (!strncmp(s, "echo ", 5)) {
		r->kind = EMU_RSP_ECHO;
		r->rsp_len = 2;
		return parse_sw(s + 5, r->rsp);
	}
	if (!strncmp(s, "seq ", 4)) {
		char *end;
		unsigned long n = strtoul(s + 4, &end, 10);

		if (end == s + 4 || n > 65536)
			return -1;
		r->kind = EMU_RSP_SEQ;
		r->seq_len = (uint32_t)n;
		r->rsp_len = 2;
		return parse_sw(end, r->rsp);
	}
	r->kind = EMU_RSP_LITERAL;
	{
		int n = emu_hex_parse(s, r->rsp, strlen(s) / 2 + 2);

		if (n < 2)	/* an R-APDU always ends with SW1 SW2 */
			return -1;
		r->rsp_len = (size_t)n;
	}
	return 0;
}

static void rule_free(struct emu_rule *r)
{
	free(r->pattern);
	free(r->mask);
	free(r->rsp);
}

static int parse_rule(struct emu_profile *p, char *rest)
{
	char *arrow = strstr(rest, "->");
	struct emu_rule r = { 0 }, *grown;

	if (!arrow)
		return -1;
	*arrow = '\0';
	if (parse_pattern(&r, rest) || r.pattern_len < 4 ||
	    parse_response(&r, arrow + 2)) {
		rule_free(&r);
		return -1;
	}
	grown = realloc(p->rules, (p->n_rules + 1) * sizeof(*grown));
	if (!grown) {
		rule_free(&r);
		return -1;
	}
	p->rules = grown;
	p->rules[p->n_rules++] = r;
	return 0;
}

/* @name relative to the directory of @profile_path, unless absolute. */
static int resolve(const char *profile_path, const char *name, char *out,
		   size_t size)
{
	const char *slash = strrchr(profile_path, '/');
	int n;

	if (name[0] == '/' || !slash)
		n = snprintf(out, size, "%s", name);
	else
		n = snprintf(out, size, "%.*s/%s", (int)(slash - profile_path),
			     profile_path, name);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static int parse_emv_card(struct emu_profile *p, const char *rest,
			  const struct parse_ctx *ctx)
{
	struct vcard_profile vp;
	char path[PATH_MAX];
	int ret = -1;

	if (p->vcard || !*rest || resolve(ctx->path, rest, path, sizeof(path)))
		return -1;
	p->vcard = calloc(1, sizeof(*p->vcard));
	if (!p->vcard)
		return -1;
	if (vcard_profile_load(&vp, path, ctx->err, ctx->err_size))
		goto out;
	if (vcard_init(p->vcard, &vp)) {
		snprintf(ctx->err, ctx->err_size, "%.120s: unusable card", path);
		goto out;
	}
	ret = 0;
out:
	explicit_bzero(&vp, sizeof(vp));	/* holds the issuer key */
	return ret;
}

static int parse_line(struct emu_profile *p, char *line,
		      const struct parse_ctx *ctx)
{
	char *key, *rest;
	int n;

	line[strcspn(line, "#\r\n")] = '\0';
	key = line + strspn(line, " \t");
	if (!*key)
		return 0;
	rest = key + strcspn(key, " \t");
	if (*rest)
		*rest++ = '\0';
	rest += strspn(rest, " \t");

	if (!strcmp(key, "name")) {
		snprintf(p->name, sizeof(p->name), "%s", rest);
		return 0;
	}
	if (!strcmp(key, "atr")) {
		if (!strncmp(rest, "mute", 4)) {
			p->mute = true;
			return 0;
		}
		n = emu_hex_parse(rest, p->atr, sizeof(p->atr));
		if (n < 2)
			return -1;
		p->atr_len = (size_t)n;
		return 0;
	}
	if (!strcmp(key, "default"))
		return parse_sw(rest, p->default_sw);
	if (!strcmp(key, "apdu"))
		return parse_rule(p, rest);
	if (!strcmp(key, "emv-card"))
		return parse_emv_card(p, rest, ctx);
	return -1;
}

int emu_profile_load(struct emu_profile *p, const char *path, char *err,
		     size_t err_size)
{
	FILE *f = fopen(path, "r");
	char line[4096], detail[160];
	struct parse_ctx ctx = { path, detail, sizeof(detail) };
	unsigned int lineno = 0;

	memset(p, 0, sizeof(*p));
	p->default_sw[0] = 0x6D;	/* INS not supported */
	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		detail[0] = '\0';
		if (parse_line(p, line, &ctx)) {
			snprintf(err, err_size, "%s:%u: %s", path, lineno,
				 detail[0] ? detail : "cannot parse");
			fclose(f);
			emu_profile_free(p);
			return -1;
		}
	}
	fclose(f);
	if (!p->mute && !p->atr_len) {
		snprintf(err, err_size, "%s: no atr line", path);
		emu_profile_free(p);
		return -1;
	}
	if (p->vcard && p->n_rules) {
		snprintf(err, err_size, "%s: emv-card and apdu lines exclude"
			 " each other", path);
		emu_profile_free(p);
		return -1;
	}
	return 0;
}

void emu_profile_free(struct emu_profile *p)
{
	if (p->vcard) {
		vcard_wipe(p->vcard);	/* keys and card data */
		free(p->vcard);
	}
	for (size_t i = 0; i < p->n_rules; i++)
		rule_free(&p->rules[i]);
	free(p->rules);
	memset(p, 0, sizeof(*p));
}

static bool rule_matches(const struct emu_rule *r, const uint8_t *cmd,
			 size_t len)
{
	if (len < r->pattern_len || (!r->any_tail && len != r->pattern_len))
		return false;
	for (size_t i = 0; i < r->pattern_len; i++)
		if (r->mask[i] && r->pattern[i] != cmd[i])
			return false;
	return true;
}

/* The data field of a C-APDU (ISO 7816-4 cases 3/4, short and extended). */
static void apdu_data(const uint8_t *cmd, size_t len, const uint8_t **data,
		      size_t *data_len)
{
	size_t lc;

	*data = NULL;
	*data_len = 0;
	if (len <= 5)
		return;
	if (cmd[4] != 0) {
		lc = cmd[4];
		if (5 + lc <= len) {
			*data = cmd + 5;
			*data_len = lc;
		}
		return;
	}
	if (len < 7)
		return;
	lc = (size_t)cmd[5] << 8 | cmd[6];
	if (lc && 7 + lc <= len) {
		*data = cmd + 7;
		*data_len = lc;
	}
}

static int build_answer(const struct emu_rule *r, const uint8_t *cmd,
			size_t cmd_len, size_t max_len, uint8_t **rsp,
			size_t *rsp_len)
{
	const uint8_t *data = NULL;
	size_t n = 0;
	uint8_t *out;

	if (r->kind == EMU_RSP_ECHO)
		apdu_data(cmd, cmd_len, &data, &n);
	else if (r->kind == EMU_RSP_SEQ)
		n = r->seq_len;
	else
		n = r->rsp_len - 2;
	if (n + 2 > max_len)
		return -EMSGSIZE;
	out = malloc(n + 2);
	if (!out)
		return -ENOMEM;
	if (r->kind == EMU_RSP_ECHO && n)
		memcpy(out, data, n);
	else if (r->kind == EMU_RSP_SEQ)
		for (size_t i = 0; i < n; i++)
			out[i] = (uint8_t)i;
	else
		memcpy(out, r->rsp, n);
	memcpy(out + n, r->rsp + r->rsp_len - 2, 2);
	*rsp = out;
	*rsp_len = n + 2;
	return 0;
}

static int vcard_answer(struct vcard *card, const uint8_t *cmd,
			size_t cmd_len, size_t max_len, uint8_t **rsp,
			size_t *rsp_len)
{
	uint8_t buf[VCARD_RAPDU_MAX];
	size_t n;
	int ret = vcard_transceive(card, cmd, cmd_len, buf,
				   max_len < sizeof(buf) ? max_len : sizeof(buf),
				   &n);

	if (!ret) {
		*rsp = malloc(n);
		if (*rsp) {
			memcpy(*rsp, buf, n);
			*rsp_len = n;
		} else {
			ret = -ENOMEM;
		}
	}
	explicit_bzero(buf, sizeof(buf));	/* records hold track 2 */
	return ret;
}

int emu_profile_answer(const struct emu_profile *p, const uint8_t *cmd,
		       size_t cmd_len, size_t max_len, uint8_t **rsp,
		       size_t *rsp_len)
{
	if (p->vcard)
		return vcard_answer(p->vcard, cmd, cmd_len, max_len, rsp,
				    rsp_len);
	for (size_t i = 0; i < p->n_rules; i++)
		if (rule_matches(&p->rules[i], cmd, cmd_len))
			return build_answer(&p->rules[i], cmd, cmd_len,
					    max_len, rsp, rsp_len);
	*rsp = malloc(2);
	if (!*rsp)
		return -ENOMEM;
	memcpy(*rsp, p->default_sw, 2);
	*rsp_len = 2;
	return 0;
}
