// SPDX-License-Identifier: MIT
/* Text profiles of virtual EMV cards (format in virtual_card.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/hex.h"
#include "virtual_card.h"

static int hex_exact(const char *v, uint8_t *out, size_t len)
{
	return hex_decode(v, strlen(v), out, len) == (long)len ? 0 : -1;
}

static int yes_no(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "no")) {
		*out = !strcmp(v, "yes");
		return 0;
	}
	return -1;
}

/* The index of @v in the NULL-terminated @names. */
static int choice(const char *v, const char *const *names, long *out)
{
	for (long i = 0; names[i]; i++) {
		if (!strcmp(v, names[i])) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

static int number(const char *v, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(v, &end, 10);
	return errno || end == v || *end || *out < min || *out > max ? -1 : 0;
}

static int pan_value(const char *v, struct vcard_profile *p)
{
	size_t n = strlen(v);

	if (n < 12 || n >= sizeof(p->pan) || strspn(v, "0123456789") != n)
		return -1;
	memcpy(p->pan, v, n + 1);
	return 0;
}

/* "app <AID> <priority> <label>" */
static int app_value(char *v, bool blocked, struct vcard_profile *p)
{
	char *prio = strchr(v, ' '), *label;
	struct vcard_app *a;
	long n, aid_len;

	if (!prio || p->n_apps == VCARD_MAX_APPS)
		return -1;
	*prio++ = '\0';
	label = strchr(prio, ' ');
	if (!label)
		return -1;
	*label++ = '\0';
	a = &p->apps[p->n_apps];
	memset(a, 0, sizeof(*a));
	aid_len = hex_decode(v, strlen(v), a->aid, sizeof(a->aid));
	if (aid_len < 5 || number(prio, 0, 15, &n) || strlen(label) >= 17)
		return -1;
	a->aid_len = (size_t)aid_len;
	a->priority = (uint8_t)n;
	a->blocked = blocked;
	strcpy(a->label, label);
	p->n_apps++;
	return 0;
}

static int set_key(struct vcard_profile *p, const char *dir, const char *key,
		   char *v)
{
	long n;
	uint8_t atc[2];

	if (!strcmp(key, "pan"))
		return pan_value(v, p);
	if (!strcmp(key, "psn")) {
		n = -1;
		if (strcmp(v, "none") && number(v, 0, 99, &n))
			return -1;
		p->psn = (int)n;
		return 0;
	}
	if (!strcmp(key, "expiry"))
		return hex_exact(v, p->expiry, 3);
	if (!strcmp(key, "effective"))
		return hex_exact(v, p->effective, 3);
	if (!strcmp(key, "name")) {
		if (strlen(v) < 2 || strlen(v) >= sizeof(p->name))
			return -1;
		strcpy(p->name, v);
		return 0;
	}
	if (!strcmp(key, "imk"))
		return hex_exact(v, p->imk, 16);
	if (!strcmp(key, "aip"))
		return hex_exact(v, p->aip, 2);
	if (!strcmp(key, "atc")) {
		if (hex_exact(v, atc, 2))
			return -1;
		p->atc = (uint16_t)(atc[0] << 8 | atc[1]);
		return 0;
	}
	if (!strcmp(key, "pin-try-counter")) {
		if (number(v, 0, 15, &n))
			return -1;
		p->pin_try_counter = (uint8_t)n;
		return 0;
	}
	if (!strcmp(key, "pse"))
		return yes_no(v, &p->has_pse);
	if (!strcmp(key, "t0"))
		return yes_no(v, &p->t0_get_response);
	if (!strcmp(key, "issuer-auth-in-cdol2"))
		return yes_no(v, &p->issuer_auth_in_cdol2);
	if (!strcmp(key, "cvm-list")) {
		bool has;
		long len;

		if (!yes_no(v, &has)) {
			p->no_cvm_list = !has;
			return 0;
		}
		len = hex_decode(v, strlen(v), p->cvm_list,
				 sizeof(p->cvm_list));
		if (len < 10 || len % 2)
			return -1;	/* amounts X, Y and one rule at least */
		p->cvm_list_len = (size_t)len;
		return 0;
	}
	if (!strcmp(key, "ca-key")) {
		char path[512];

		snprintf(path, sizeof(path), "%s/%s", v[0] == '/' ? "" : dir, v);
		p->has_ca = !signer_load_pem(&p->ca, path);
		return p->has_ca ? 0 : -1;
	}
	if (!strcmp(key, "offline-pin")) {
		size_t digits = strlen(v);

		if (digits < 4 || digits > 12 ||
		    strspn(v, "0123456789") != digits)
			return -1;
		memcpy(p->offline_pin, v, digits + 1);
		return 0;
	}
	if (!strcmp(key, "auc")) {
		p->has_auc = true;
		return hex_exact(v, p->auc, 2);
	}
	if (!strcmp(key, "lcol") || !strcmp(key, "ucol")) {
		if (number(v, 0, 255, &n))
			return -1;
		*(key[0] == 'l' ? &p->lcol : &p->ucol) = (uint8_t)n;
		return 0;
	}
	if (!strcmp(key, "last-online-atc")) {
		if (hex_exact(v, atc, 2))
			return -1;
		p->last_online_atc = (uint16_t)(atc[0] << 8 | atc[1]);
		return 0;
	}
	if (!strcmp(key, "oda")) {
		static const char *const modes[] = { "none", "sda", "dda", "cda",
						     NULL };

		if (choice(v, modes, &n))
			return -1;
		p->oda = (enum vcard_oda)n;
		return 0;
	}
	if (!strcmp(key, "oda-fault")) {
		static const char *const faults[] = {
			"none", "signature", "hash", "expired-issuer",
			"wrong-pan", NULL,
		};

		if (choice(v, faults, &n))
			return -1;
		p->oda_fault = (enum vcard_oda_fault)n;
		return 0;
	}
	if (!strcmp(key, "app"))
		return app_value(v, false, p);
	if (!strcmp(key, "app-blocked"))
		return app_value(v, true, p);
	return -1;
}

static int parse_line(struct vcard_profile *p, const char *dir, char *line)
{
	char *v;

	line[strcspn(line, "\r\n")] = '\0';
	line += strspn(line, " \t");
	if (!*line || *line == '#')
		return 0;
	v = strchr(line, ' ');
	if (!v)
		return -1;
	*v++ = '\0';
	v += strspn(v, " \t");
	return set_key(p, dir, line, v);
}

int vcard_profile_load(struct vcard_profile *p, const char *path, char *err,
		       size_t err_size)
{
	char line[256], dir[256];
	FILE *f = fopen(path, "r");
	int lineno = 0, rc = 0;
	const char *slash = strrchr(path, '/');

	if (!f) {
		snprintf(err, err_size, "%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? path : ".");
	memset(p, 0, sizeof(*p));
	p->psn = -1;
	p->has_pse = true;
	while (!rc && fgets(line, sizeof(line), f)) {
		lineno++;
		rc = parse_line(p, dir, line);
	}
	fclose(f);
	if (!rc && (!p->pan[0] || p->n_apps == 0)) {
		snprintf(err, err_size, "%s: needs pan and at least one app",
			 path);
		return -1;
	}
	if (rc)
		snprintf(err, err_size, "%s:%d: bad line", path, lineno);
	return rc;
}
