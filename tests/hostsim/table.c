// SPDX-License-Identifier: MIT
/*
 * Requests against the written message table: which kind a request is
 * (MTI, field 3, 60.1), then every field 2..128 against the kind's rule or
 * its group's (presence, and a POSIX regular expression on the value).
 * The values are the decoded ones; nothing here calls the terminal's
 * message builders.
 */
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "table.h"

#define TABLE_KINDS	32
#define TABLE_RULES	256

struct table_kind {
	char name[24], group[8], mti[5], proc[7], type[3], cond[3];
};

struct table_rule {
	char who[24], presence[4], pattern[64];
	int field;
	bool any;		/* pattern "-" */
	regex_t re;
};

struct hs_table {
	struct table_kind kinds[TABLE_KINDS];
	struct table_rule rules[TABLE_RULES];
	size_t n_kinds, n_rules;
};

static bool presence_ok(const char *p)
{
	return !strcmp(p, "M") || !strcmp(p, "O") || !strcmp(p, "X") ||
	       !strcmp(p, "G") || !strcmp(p, "C52");
}

static int add_rule(struct hs_table *t, const char *line)
{
	struct table_rule *r = &t->rules[t->n_rules];
	char anchored[80];

	if (t->n_rules == TABLE_RULES ||
	    sscanf(line, "rule %23s %d %3s %63s", r->who, &r->field, r->presence,
		   r->pattern) != 4 || r->field < 2 || r->field > ISO_MAX_FIELD ||
	    !presence_ok(r->presence))
		return -1;
	r->any = !strcmp(r->pattern, "-");
	snprintf(anchored, sizeof(anchored), "^(%s)$", r->pattern);
	if (!r->any && regcomp(&r->re, anchored, REG_EXTENDED | REG_NOSUB))
		return -1;
	t->n_rules++;
	return 0;
}

static int add_kind(struct hs_table *t, const char *line)
{
	struct table_kind *k = &t->kinds[t->n_kinds];

	if (t->n_kinds == TABLE_KINDS ||
	    sscanf(line, "kind %23s %7s %4s %6s %2s %2s", k->name, k->group, k->mti,
		   k->proc, k->type, k->cond) != 6)
		return -1;
	t->n_kinds++;
	return 0;
}

int hs_table_load(const char *path, struct hs_table **out)
{
	struct hs_table *t = calloc(1, sizeof(*t));
	FILE *f = fopen(path, "r");
	char line[256];
	int n = 0, err = 0;

	if (!t || !f) {
		fprintf(stderr, "paycard-hostsim: cannot read the message table %s\n", path);
		free(t);
		if (f)
			fclose(f);
		return -1;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		n++;
		if (!strncmp(line, "kind ", 5))
			err = add_kind(t, line);
		else if (!strncmp(line, "rule ", 5))
			err = add_rule(t, line);
		else if (line[strspn(line, " \t\n")] && line[0] != '#')
			err = -1;
	}
	fclose(f);
	if (err) {
		fprintf(stderr, "paycard-hostsim: %s:%d: malformed line\n", path, n);
		hs_table_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

void hs_table_free(struct hs_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n_rules; i++)
		if (!t->rules[i].any)
			regfree(&t->rules[i].re);
	free(t);
}

/* The value as the table's patterns see it: text, binary as hex. */
static void value_text(const struct iso_msg *m, int k, char *out, size_t size)
{
	size_t len;
	const uint8_t *v = iso_msg_get(m, k, &len);
	bool binary = iso_dialect_cup.fields[k].content == ISO_B;

	if (binary && 2 * len < size) {
		hex_encode_digits(v, len, out);
		out[2 * len] = '\0';
	} else if (!binary && len < size) {
		memcpy(out, v, len);
		out[len] = '\0';
	} else {
		out[0] = '\0';
	}
}

/* Does field @k hold @want: "*" anything, "-" absent; for 60 @want is
 * 60.1, so it only has to start the value. */
static bool field_is(const struct iso_msg *m, int k, const char *want)
{
	char v[1024];

	if (!strcmp(want, "*"))
		return true;
	if (!strcmp(want, "-"))
		return !iso_msg_has(m, k);
	if (!iso_msg_has(m, k))
		return false;
	value_text(m, k, v, sizeof(v));
	return !strncmp(v, want, strlen(want)) && (k == 60 || !v[strlen(want)]);
}

static const struct table_kind *kind_of(const struct hs_table *t, const struct iso_msg *m)
{
	for (size_t i = 0; i < t->n_kinds; i++) {
		const struct table_kind *k = &t->kinds[i];

		if (!strcmp(k->mti, m->mti) && field_is(m, 3, k->proc) &&
		    field_is(m, 60, k->type))
			return k;
	}
	return NULL;
}

static const struct table_rule *rule_for(const struct hs_table *t,
					 const struct table_kind *k, int field)
{
	const struct table_rule *group = NULL;

	for (size_t i = 0; i < t->n_rules; i++) {
		const struct table_rule *r = &t->rules[i];

		if (r->field != field)
			continue;
		if (!strcmp(r->who, k->name))
			return r;
		if (!strcmp(r->who, k->group))
			group = r;
	}
	return group;
}

/* One field against its rule: NULL when kept, else the rule broken. */
static const char *check_field(const struct table_rule *r, const struct iso_msg *m,
			       int k, bool *gap)
{
	bool present = iso_msg_has(m, k);
	char v[1024];

	if (!r)
		return present ? "no rule: must be absent" : NULL;
	if (!strcmp(r->presence, "X"))
		return present ? "X: must be absent" : NULL;
	if (!present) {
		if (!strcmp(r->presence, "M"))
			return "M: missing";
		if (!strcmp(r->presence, "C52") && iso_msg_has(m, 52))
			return "C52: missing while field 52 is present";
		*gap |= !strcmp(r->presence, "G");
		return NULL;
	}
	if (!strcmp(r->presence, "C52") && !iso_msg_has(m, 52))
		return "C52: present without field 52";
	value_text(m, k, v, sizeof(v));
	if (!r->any && regexec(&r->re, v, 0, NULL, 0))
		return "value does not match the pattern";
	return NULL;
}

enum hs_table_verdict hs_table_check(const struct hs_table *t,
				     const struct iso_msg *m, char *why,
				     size_t size)
{
	const struct table_kind *k = kind_of(t, m);
	size_t used = 0;

	if (!k) {
		snprintf(why, size, "%s: no kind of the table has this MTI, field 3 and 60.1",
			 m->mti);
		return HS_TABLE_BROKEN;
	}
	if (!field_is(m, 25, k->cond)) {
		snprintf(why, size, "%s field 25: must be %s", k->name, k->cond);
		return HS_TABLE_BROKEN;
	}
	why[0] = '\0';
	for (int f = 2; f <= ISO_MAX_FIELD; f++) {
		const struct table_rule *r;
		bool gap = false;
		const char *broken;

		if (f == 3 || (f == 25 && strcmp(k->cond, "*")))
			continue;	/* checked by the kind line */
		r = rule_for(t, k, f);
		broken = check_field(r, m, f, &gap);
		if (broken) {
			snprintf(why, size, "%s field %d: %s%s%s", k->name, f, broken,
				 r ? " /" : "", r ? r->pattern : "");
			return HS_TABLE_BROKEN;
		}
		if (gap && used < size)
			used += (size_t)snprintf(why + used, size - used, "%s%s field %d missing (G)",
						 used ? ", " : "", k->name, f);
	}
	return used ? HS_TABLE_GAP : HS_TABLE_OK;
}
