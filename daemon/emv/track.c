// SPDX-License-Identifier: MIT
#include <string.h>

#include "crypto/cipher.h"
#include "emv/track.h"

bool emv_luhn_valid(const char *digits, size_t len)
{
	unsigned sum = 0;

	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(digits[len - 1 - i] - '0');

		if (d > 9)
			return false;
		if (i % 2) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Drop an optional start sentinel @ss and end sentinel '?'. */
static void strip_sentinels(const char **p, size_t *len, char ss)
{
	if (*len && (*p)[0] == ss) {
		(*p)++;
		(*len)--;
	}
	if (*len && (*p)[*len - 1] == '?')
		(*len)--;
}

/* PAN digits up to @sep; checks length and Luhn. */
static enum emv_status parse_pan(const char *p, size_t len, char sep,
				 size_t *used, struct emv_track *out)
{
	size_t n = 0;

	while (n < len && p[n] != sep) {
		if (!is_digit(p[n]))
			return EMV_E_TRACK_FORMAT;
		if (n == 19)
			return EMV_E_PAN_LENGTH;
		out->pan[n] = p[n];
		n++;
	}
	if (n == len)
		return EMV_E_TRACK_FORMAT;	/* no separator */
	out->pan[n] = '\0';
	if (n < 12)
		return EMV_E_PAN_LENGTH;
	if (!emv_luhn_valid(out->pan, n))
		return EMV_E_PAN_LUHN;
	*used = n + 1;
	return EMV_OK;
}

/* YYMM, service code and discretionary data after the last separator. */
static enum emv_status parse_tail(const char *p, size_t len,
				  struct emv_track *out)
{
	unsigned mm;

	if (len < 4)
		return EMV_E_TRACK_FORMAT;
	for (int i = 0; i < 4; i++)
		if (!is_digit(p[i]))
			return EMV_E_EXPIRY_FORMAT;
	out->expiry_yy = (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
	mm = (unsigned)(p[2] - '0') * 10 + (unsigned)(p[3] - '0');
	if (mm < 1 || mm > 12)
		return EMV_E_EXPIRY_FORMAT;
	out->expiry_mm = mm;
	if (len < 7)
		return EMV_E_SERVICE_CODE;
	for (int i = 4; i < 7; i++)
		if (!is_digit(p[i]))
			return EMV_E_SERVICE_CODE;
	memcpy(out->service_code, p + 4, 3);
	out->service_code[3] = '\0';
	if (len - 7 >= sizeof(out->discretionary))
		return EMV_E_TRACK_TOO_LONG;
	memcpy(out->discretionary, p + 7, len - 7);
	out->discretionary[len - 7] = '\0';
	return EMV_OK;
}

static enum emv_status finish(enum emv_status st, struct emv_track *out)
{
	if (st)
		emv_track_wipe(out);
	return st;
}

enum emv_status emv_track2_parse(const char *track, size_t len,
				 struct emv_track *out)
{
	size_t used;
	enum emv_status st;

	if (!track || !out)
		return EMV_E_ARGUMENT;
	memset(out, 0, sizeof(*out));
	if (len > EMV_TRACK2_MAX)
		return EMV_E_TRACK_TOO_LONG;
	strip_sentinels(&track, &len, ';');
	/* ISO 7813 track 2 set: digits and the = separator only */
	for (size_t i = 0; i < len; i++)
		if (!is_digit(track[i]) && track[i] != '=')
			return EMV_E_TRACK_CHARSET;
	st = parse_pan(track, len, '=', &used, out);
	if (!st)
		st = parse_tail(track + used, len - used, out);
	return finish(st, out);
}

static enum emv_status parse_name(const char *p, size_t len, size_t *used,
				  struct emv_track *out)
{
	const char *end = memchr(p, '^', len);
	size_t n;

	if (!end)
		return EMV_E_TRACK_FORMAT;
	n = (size_t)(end - p);
	if (n < 2 || n > 26)
		return EMV_E_TRACK_FORMAT;
	memcpy(out->name, p, n);
	out->name[n] = '\0';
	*used = n + 1;
	return EMV_OK;
}

enum emv_status emv_track1_parse(const char *track, size_t len,
				 struct emv_track *out)
{
	size_t used, name_used;
	enum emv_status st;

	if (!track || !out)
		return EMV_E_ARGUMENT;
	memset(out, 0, sizeof(*out));
	if (len > EMV_TRACK1_MAX)
		return EMV_E_TRACK_TOO_LONG;
	strip_sentinels(&track, &len, '%');
	/* ISO 7813 track 1: 6-bit alphanumeric, 0x20..0x5F */
	for (size_t i = 0; i < len; i++)
		if (track[i] < 0x20 || track[i] > 0x5f || track[i] == '%' ||
		    track[i] == '?')
			return EMV_E_TRACK_CHARSET;
	if (len < 1 || track[0] != 'B')
		return EMV_E_TRACK_FORMAT;	/* format code B */
	st = parse_pan(track + 1, len - 1, '^', &used, out);
	if (!st)
		st = parse_name(track + 1 + used, len - 1 - used, &name_used,
				out);
	if (!st)
		st = parse_tail(track + 1 + used + name_used,
				len - 1 - used - name_used, out);
	return finish(st, out);
}

enum emv_status emv_track_check_expiry(const struct emv_track *t,
				       unsigned today_yy, unsigned today_mm)
{
	if (!t || today_mm < 1 || today_mm > 12 || today_yy > 99)
		return EMV_E_ARGUMENT;
	if (t->expiry_yy * 12 + t->expiry_mm < today_yy * 12 + today_mm)
		return EMV_E_EXPIRED;
	return EMV_OK;
}

enum emv_swipe_decision emv_swipe_decide(const struct emv_track *t,
					 bool chip_failed_fallback)
{
	bool chip = t->service_code[0] == '2' || t->service_code[0] == '6';

	return chip && !chip_failed_fallback ? EMV_SWIPE_INSERT_CHIP :
					       EMV_SWIPE_ACCEPT;
}

bool emv_track_pin_required(const struct emv_track *t)
{
	char d = t->service_code[2];

	return d == '0' || d == '3' || d == '5';
}

void emv_track_wipe(struct emv_track *t)
{
	pcc_wipe(t, sizeof(*t));
}
