// SPDX-License-Identifier: MIT
#include <string.h>

#include "emv/select.h"
#include "iso8583/tlv.h"

#define PSE_NAME	"1PAY.SYS.DDF01"
#define MAX_PSE_RECORDS	16
#define MAX_NEXT_SELECTS 8

/*
 * Partial selection (ASI, Book 1 12.3.1) for every AID.  UnionPay's own
 * AID parameter sets, as its IC parameter download delivers them and as
 * public UnionPay POS code presets them (9F06 A000000333010101, DF01 00,
 * ...), all carry ASI 00; public EMV kernel headers for the UnionPay
 * market code DF01 as 0 = partial match allowed, 1 = exact match (one
 * kernel's own AID list struct says the opposite for its private flag;
 * the downloaded DF01 is what counts).
 */
const struct emv_aid emv_default_aids[] = {
	{ { 0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01 }, 8, true },
	{ { 0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x02 }, 8, true },
	{ { 0xa0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x03 }, 8, true },
	{ { 0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10 }, 7, true },
	{ { 0xa0, 0x00, 0x00, 0x00, 0x04, 0x10, 0x10 }, 7, true },
};
const size_t emv_n_default_aids = sizeof(emv_default_aids) /
				  sizeof(emv_default_aids[0]);

static enum emv_status select_by_name(const struct emv_transport *t,
				      const uint8_t *name, size_t len,
				      bool next, struct emv_apdu_response *rsp)
{
	struct emv_command cmd = {
		.cla = 0x00, .ins = 0xa4, .p1 = 0x04, .p2 = next ? 0x02 : 0x00,
		.data = name, .lc = len, .le = true,
	};
	return emv_apdu_exchange(t, &cmd, rsp);
}

bool emv_aid_matches(const struct emv_aid *a, const uint8_t *aid, size_t len)
{
	if (len < a->len || memcmp(a->aid, aid, a->len))
		return false;
	return len == a->len || a->partial;
}

static bool aid_supported(const struct emv_aid *aids, size_t n,
			  const uint8_t *aid, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (emv_aid_matches(&aids[i], aid, len))
			return true;
	return false;
}

static void copy_label(char out[17], const uint8_t *v, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n < 16; i++)
		if (v[i] >= 0x20 && v[i] < 0x7f)
			out[n++] = (char)v[i];
	out[n] = '\0';
}

/* Add the application described by @d (an ADF entry or an FCI). */
static enum emv_status add_candidate(struct emv_candidate_list *list,
				     const struct emv_data *d, uint32_t aid_tag,
				     bool confirmation)
{
	struct emv_candidate *c;
	size_t aid_len, len;
	const uint8_t *aid = emv_data_get(d, aid_tag, &aid_len);
	const uint8_t *v;

	if (!aid)
		return EMV_E_MISSING_TAG;
	v = emv_data_get(d, 0x87, &len);
	if (v && (v[0] & 0x80) && !confirmation)
		return EMV_OK;
	for (size_t i = 0; i < list->n; i++)
		if (list->c[i].aid_len == aid_len &&
		    !memcmp(list->c[i].aid, aid, aid_len))
			return EMV_OK;
	if (list->n == EMV_MAX_CANDIDATES)
		return EMV_OK;	/* enough to choose from; ignore the rest */
	c = &list->c[list->n++];
	memset(c, 0, sizeof(*c));
	memcpy(c->aid, aid, aid_len);
	c->aid_len = aid_len;
	c->priority = v ? v[0] & 0x0f : 0;
	c->confirm = v && (v[0] & 0x80);
	v = emv_data_get(d, 0x50, &len);
	if (v)
		copy_label(c->label, v, len);
	return EMV_OK;
}

/* One PSE record: 70 { 61 {4F 50 87 ...} 61 {...} }. */
static enum emv_status pse_record(const uint8_t *rec, size_t rec_len,
				  const struct emv_aid *aids, size_t n_aids,
				  bool confirmation,
				  struct emv_candidate_list *list)
{
	size_t pos = 0, in = 0;
	struct tlv t, entry;

	if (tlv_next(rec, rec_len, &pos, &t) != TLV_OK)
		return EMV_E_TLV;
	if (t.tag != 0x70 || pos != rec_len)
		return EMV_E_TEMPLATE;
	while (in < t.len) {
		struct emv_data d;
		size_t aid_len;
		const uint8_t *aid;
		enum emv_status st;

		if (tlv_next(t.value, t.len, &in, &entry) != TLV_OK)
			return EMV_E_TLV;
		if (entry.tag != 0x61)
			continue;	/* other directory entries: not ours */
		emv_data_init(&d);
		st = emv_data_parse_list(&d, entry.value, entry.len);
		if (st)
			return st;
		aid = emv_data_get(&d, 0x4f, &aid_len);
		if (!aid)
			return EMV_E_MISSING_TAG;
		if (aid_supported(aids, n_aids, aid, aid_len)) {
			st = add_candidate(list, &d, 0x4f, confirmation);
			if (st)
				return st;
		}
	}
	return EMV_OK;
}

/*
 * PSE method.  EMV_E_SW_FILE_NOT_FOUND and friends tell the caller to fall
 * back to the list of AIDs; EMV_E_CARD_BLOCKED and transport errors end.
 */
static enum emv_status from_pse(const struct emv_transport *t,
				const struct emv_aid *aids, size_t n_aids,
				bool confirmation,
				struct emv_candidate_list *list)
{
	struct emv_apdu_response rsp;
	struct emv_data fci;
	const uint8_t *sfi;
	enum emv_status st;

	st = select_by_name(t, (const uint8_t *)PSE_NAME,
			    strlen(PSE_NAME), false, &rsp);
	if (st)
		return st;
	if (rsp.sw == 0x6a81)
		return EMV_E_CARD_BLOCKED;
	if (rsp.sw != 0x9000)
		return emv_sw_status(rsp.sw);
	emv_data_init(&fci);
	st = emv_data_parse_template(&fci, 0x6f, rsp.data, rsp.len);
	if (st)
		return st;
	sfi = emv_data_get(&fci, 0x88, NULL);
	if (!sfi)
		return EMV_E_MISSING_TAG;
	if (sfi[0] < 1 || sfi[0] > 10)
		return EMV_E_DATA_FORMAT;
	for (uint8_t r = 1; r <= MAX_PSE_RECORDS; r++) {
		struct emv_command cmd = {
			.cla = 0x00, .ins = 0xb2, .p1 = r,
			.p2 = (uint8_t)(sfi[0] << 3 | 4), .le = true,
		};
		st = emv_apdu_exchange(t, &cmd, &rsp);
		if (st)
			return st;
		if (rsp.sw == 0x6a83)
			break;	/* end of the directory */
		if (rsp.sw != 0x9000)
			return emv_sw_status(rsp.sw);
		st = pse_record(rsp.data, rsp.len, aids, n_aids, confirmation,
				list);
		if (st)
			return st;
	}
	return EMV_OK;
}

/* List of AIDs method (Book 1 12.3.3), with partial selection. */
static enum emv_status from_aid_list(const struct emv_transport *t,
				     const struct emv_aid *aids, size_t n_aids,
				     bool confirmation,
				     struct emv_candidate_list *list)
{
	for (size_t i = 0; i < n_aids; i++) {
		bool next = false;

		for (int k = 0; k < MAX_NEXT_SELECTS; k++, next = true) {
			struct emv_apdu_response rsp;
			struct emv_data fci;
			size_t len;
			const uint8_t *df;
			enum emv_status st;

			st = select_by_name(t, aids[i].aid, aids[i].len, next,
					    &rsp);
			if (st)
				return st;
			if (rsp.sw == 0x6a81)
				return EMV_E_CARD_BLOCKED;
			if (rsp.sw != 0x9000 && rsp.sw != 0x6283)
				break;	/* not on this card */
			emv_data_init(&fci);
			if (emv_data_parse_template(&fci, 0x6f, rsp.data,
						    rsp.len))
				break;	/* unusable FCI: skip this AID */
			df = emv_data_get(&fci, 0x84, &len);
			if (!df || !emv_aid_matches(&aids[i], df, len))
				break;
			if (rsp.sw == 0x9000) {
				st = add_candidate(list, &fci, 0x84,
						   confirmation);
				if (st)
					return st;
			}
			if (len == aids[i].len)
				break;	/* exact match: no other occurrence */
		}
	}
	return EMV_OK;
}

/* Stable order: priorities 1..15 first (1 highest), then unprioritised. */
static void sort_candidates(struct emv_candidate_list *list)
{
	for (size_t i = 1; i < list->n; i++) {
		struct emv_candidate c = list->c[i];
		unsigned key = c.priority ? c.priority : 16;
		size_t j = i;

		while (j > 0 && (list->c[j - 1].priority ?
				 list->c[j - 1].priority : 16u) > key) {
			list->c[j] = list->c[j - 1];
			j--;
		}
		list->c[j] = c;
	}
}

enum emv_status emv_build_candidates(const struct emv_transport *t,
				     const struct emv_aid *aids, size_t n_aids,
				     bool cardholder_confirmation,
				     struct emv_candidate_list *list)
{
	enum emv_status st;

	if (!t || !aids || !list)
		return EMV_E_ARGUMENT;
	list->n = 0;
	st = from_pse(t, aids, n_aids, cardholder_confirmation, list);
	if (st == EMV_E_CARD_BLOCKED || st == EMV_E_CARD_REMOVED ||
	    st == EMV_E_TRANSPORT)
		return st;
	if (st || list->n == 0) {
		/* Book 1 12.3.2: any PSE trouble means the list of AIDs */
		list->n = 0;
		st = from_aid_list(t, aids, n_aids, cardholder_confirmation,
				   list);
		if (st)
			return st;
	}
	if (list->n == 0)
		return EMV_E_NO_APPLICATION;
	sort_candidates(list);
	return EMV_OK;
}

enum emv_status emv_final_select(const struct emv_transport *t,
				 const struct emv_candidate *c,
				 struct emv_data *icc)
{
	struct emv_apdu_response rsp;
	size_t len;
	const uint8_t *df;
	enum emv_status st;

	if (!t || !c || !icc)
		return EMV_E_ARGUMENT;
	st = select_by_name(t, c->aid, c->aid_len, false, &rsp);
	if (st)
		return st;
	if (rsp.sw != 0x9000)
		return emv_sw_status(rsp.sw);
	emv_data_wipe(icc);
	st = emv_data_parse_template(icc, 0x6f, rsp.data, rsp.len);
	if (st)
		return st;
	df = emv_data_get(icc, 0x84, &len);
	if (!df)
		return EMV_E_MISSING_TAG;
	if (len != c->aid_len || memcmp(df, c->aid, len))
		return EMV_E_DATA_FORMAT;
	return EMV_OK;
}

void emv_candidate_remove(struct emv_candidate_list *list, size_t i)
{
	if (i >= list->n)
		return;
	memmove(&list->c[i], &list->c[i + 1],
		(list->n - i - 1) * sizeof(list->c[0]));
	list->n--;
}
