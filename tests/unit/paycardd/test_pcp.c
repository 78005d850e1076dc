// SPDX-License-Identifier: MIT
/* The userspace USB transport's protocol conversion: GET_INFO and event
 * payloads (laid out by hand from include/paycard/protocol.h) become the
 * uapi structures the kernel driver would produce; short or inconsistent
 * payloads are refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "paycardd/readers/pcp_convert.h"

static struct pcp_frame event(u8 code, u16 seq, const u8 *payload, u32 len)
{
	struct pcp_frame f = { .type = PCP_TYPE_EVENT, .code = code, .seq = seq,
			       .len = len, .payload = payload };
	return f;
}

static void test_get_info(void **state)
{
	u8 p[PCP_INFO_LEN] = { 0 };
	struct paycard_info info;

	p[0] = 1;				/* proto 1.0 */
	p[2] = 0x09; p[3] = 0x12;		/* vid 0x1209 */
	p[4] = 0xFF;				/* caps: all eight */
	p[12] = 0x05; p[13] = 0x01;		/* max_apdu 0x105 = 261 */
	memcpy(p + 16, "PC-EMU 100", 10);
	memcpy(p + 48, "EMU0001", 7);
	memcpy(p + 80, "1.0.0", 5);
	assert_int_equal(pcp_info_to_paycard(p, sizeof(p), &info), 0);
	assert_int_equal(info.proto_major, 1);
	assert_int_equal(info.caps, 0xFF);
	assert_int_equal(info.max_apdu, 261);
	assert_int_equal(info.abi_version, PAYCARD_ABI_VERSION);
	assert_string_equal(info.model, "PC-EMU 100");
	assert_string_equal(info.serial, "EMU0001");
	assert_string_equal(info.firmware, "1.0.0");
	assert_string_equal(info.transport, "usb");
}

static void test_get_info_refuses_short_and_cleans_strings(void **state)
{
	u8 p[PCP_INFO_LEN + 8] = { 0 };		/* a later minor version's extra bytes */
	struct paycard_info info;

	assert_int_equal(pcp_info_to_paycard(p, PCP_INFO_LEN - 1, &info), -EINVAL);
	memset(p + 16, 'A', 32);		/* no NUL inside the field */
	p[17] = 0x07;				/* a control character */
	assert_int_equal(pcp_info_to_paycard(p, sizeof(p), &info), 0);
	assert_int_equal(strlen(info.model), 31);
	assert_int_equal(info.model[1], '?');
}

static void test_msr_event(void **state)
{
	/* track 1 absent, track 2 ok "4012345678909=2512", track 3 absent */
	static const u8 p[] = { 0, 0, 1, 18, '4', '0', '1', '2', '3', '4', '5', '6', '7', '8',
				'9', '0', '9', '=', '2', '5', '1', '2', 0, 0 };
	struct pcp_frame f = event(PCP_EVT_MSR, 7, p, sizeof(p));
	struct paycard_event ev;

	assert_int_equal(pcp_event_to_paycard(&f, &ev), 0);
	assert_int_equal(ev.type, PAYCARD_EVENT_MSR);
	assert_int_equal(ev.seq, 7);
	assert_int_equal(ev.msr.track[0].status, PAYCARD_TRACK_ABSENT);
	assert_int_equal(ev.msr.track[1].status, PAYCARD_TRACK_OK);
	assert_int_equal(ev.msr.track[1].len, 18);
	assert_memory_equal(ev.msr.track[1].data, "4012345678909=2512", 18);
	assert_int_equal(ev.msr.track[2].len, 0);
}

static void test_msr_inconsistent_is_refused(void **state)
{
	static const u8 cut[] = { 0, 0, 1, 18, '4', '0' };	/* says 18, has 2 */
	static const u8 two_tracks[] = { 0, 0, 1, 1, '4' };	/* track 3 missing */
	u8 long_track[2 + 2 + 111 + 2] = { 0 };
	struct paycard_event ev;
	struct pcp_frame f;

	f = event(PCP_EVT_MSR, 1, cut, sizeof(cut));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
	f = event(PCP_EVT_MSR, 1, two_tracks, sizeof(two_tracks));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
	long_track[2] = 1;
	long_track[3] = 111;	/* one more than struct paycard_track holds */
	f = event(PCP_EVT_MSR, 1, long_track, sizeof(long_track));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
}

/* The kernel's rules, which the daemon's userspace transport did not
 * check: a track status the protocol does not define, and a track longer
 * than its ISO maximum (ISO/IEC 7813: track 1 79 characters, track 2 40;
 * ISO 4909: track 3 107) though it would fit struct paycard_track. */
static void test_msr_outside_the_protocol_is_refused(void **state)
{
	static const u8 bad_status[] = { 0, 0, PCP_TRACK_NO_SENTINEL + 1, 1, '4', 0, 0 };
	u8 track2_41[2 + 2 + 41 + 2] = { 0 };
	struct paycard_event ev;
	struct pcp_frame f;

	f = event(PCP_EVT_MSR, 1, bad_status, sizeof(bad_status));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
	track2_41[2] = PCP_TRACK_OK;
	track2_41[3] = PCP_TRACK2_MAX + 1;
	memset(track2_41 + 4, '4', PCP_TRACK2_MAX + 1);
	f = event(PCP_EVT_MSR, 1, track2_41, sizeof(track2_41));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
}

static void test_small_events(void **state)
{
	static const u8 cancel_key[] = { 0x1B, 0x00, 0, 0 };
	static const u8 tamper[] = { 0x05, 0x00, 0x00, 0x00 };	/* case open + head */
	static const u8 error[] = { 0x34, 0x12, 0, 0 };
	struct paycard_event ev;
	struct pcp_frame f;

	f = event(PCP_EVT_CARD_INSERTED, 3, NULL, 0);
	assert_int_equal(pcp_event_to_paycard(&f, &ev), 0);
	assert_int_equal(ev.type, PAYCARD_EVENT_CARD_INSERTED);
	f = event(PCP_EVT_CARD_REMOVED, 4, NULL, 0);
	assert_int_equal(pcp_event_to_paycard(&f, &ev), 0);
	assert_int_equal(ev.type, PAYCARD_EVENT_CARD_REMOVED);
	f = event(PCP_EVT_KEY, 5, cancel_key, sizeof(cancel_key));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), 0);
	assert_int_equal(ev.key.code, PCP_KEY_CANCEL);
	f = event(PCP_EVT_TAMPER, 6, tamper, sizeof(tamper));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), 0);
	assert_int_equal(ev.tamper.flags, PCP_TAMPER_CASE_OPEN | PCP_TAMPER_HEAD);
	f = event(PCP_EVT_ERROR, 7, error, sizeof(error));
	assert_int_equal(pcp_event_to_paycard(&f, &ev), 0);
	assert_int_equal(ev.error.code, 0x1234);
	f = event(PCP_EVT_KEY, 8, cancel_key, 3);
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
	f = event(0x90, 9, NULL, 0);
	assert_int_equal(pcp_event_to_paycard(&f, &ev), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_info),
		cmocka_unit_test(test_get_info_refuses_short_and_cleans_strings),
		cmocka_unit_test(test_msr_event),
		cmocka_unit_test(test_msr_inconsistent_is_refused),
		cmocka_unit_test(test_msr_outside_the_protocol_is_refused),
		cmocka_unit_test(test_small_events),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
