// SPDX-License-Identifier: MIT
/* paycardd.conf parsing: accepted values land in the struct, every bad value
 * is refused with "name:line: message" naming the offending line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "paycardd/config.h"

static int parse(struct paycardd_config *c, const char *text, char *err)
{
	config_set_defaults(c);
	return config_parse_string(c, "t.conf", text, err, CONFIG_ERR_LEN);
}

static void test_defaults_from_empty_file(void **state)
{
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN];

	assert_int_equal(parse(&c, "", err), 0);
	assert_string_equal(c.socket_path, "/run/paycard/paycardd.sock");
	assert_int_equal(c.socket_mode, 0666);
	assert_int_equal(c.limits.max_connections, 256);
	assert_int_equal(c.roles.uids[ROLE_ADMIN].n, 1);
	assert_int_equal(c.roles.uids[ROLE_ADMIN].ids[0], 0);
	assert_null(c.reader_source);	/* kernel */
}

static void test_full_config_is_applied(void **state)
{
	static const char text[] =
		"; comment\n"
		"[daemon]\n"
		"log_level = debug\n"
		"socket = /tmp/x.sock\n"
		"socket_mode = 0660\n"
		"system_bus = no\n"
		"[limits]\n"
		"max_connections = 10\n"
		"max_message_size = 4096\n"
		"max_queued_messages = 16\n"
		"idle_timeout_s = 30\n"
		"[roles]\n"
		"cashier_uids = 1000, 1001 1002\n"
		"supervisor_gids = 50\n"
		"admin_uids = root\n"
		"[terminal]\n"
		"terminal_id = 10000159\n"
		"merchant_id = 898100012340001\n"
		"[readers]\n"
		"backend = kernel\n"
		"module_autoload = no\n"
		"usb_fallback = no\n"
		"[firmware]\n"
		"PCR-100 = 1.2.0\n"
		"PCR-200 = 2.0\n"
		"[notices]\n"
		"marketing_muted = yes\n"
		"maintenance_per_hour = 3\n"
		"dedup_window_s = 60\n";
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN] = "";

	assert_int_equal(parse(&c, text, err), 0);
	assert_int_equal(c.log_level, LOG_DEBUG);
	assert_string_equal(c.socket_path, "/tmp/x.sock");
	assert_int_equal(c.socket_mode, 0660);	/* octal */
	assert_int_equal(c.system_bus, SYSTEM_BUS_NO);
	assert_int_equal(c.limits.max_connections, 10);
	assert_int_equal(c.limits.max_message_size, 4096);
	assert_int_equal(c.limits.max_queued_messages, 16);
	assert_int_equal(c.limits.idle_timeout_s, 30);
	assert_int_equal(c.limits.auth_timeout_s, 5);	/* untouched default */
	assert_int_equal(c.roles.uids[ROLE_CASHIER].n, 3);
	assert_int_equal(c.roles.uids[ROLE_CASHIER].ids[2], 1002);
	assert_int_equal(c.roles.gids[ROLE_SUPERVISOR].ids[0], 50);
	assert_int_equal(c.roles.uids[ROLE_ADMIN].ids[0], 0);	/* "root" resolved */
	assert_string_equal(c.terminal_id, "10000159");
	assert_string_equal(c.merchant_id, "898100012340001");
	assert_null(c.reader_source);
	assert_false(c.module_autoload);
	assert_false(c.usb_fallback);
	assert_int_equal(c.n_firmware, 2);
	assert_string_equal(config_firmware_minimum(&c, "PCR-200"), "2.0");
	assert_null(config_firmware_minimum(&c, "PCR-300"));
	assert_true(c.notices.marketing_muted);
	assert_int_equal(c.notices.per_hour[NOTICE_MAINTENANCE], 3);
	assert_int_equal(c.notices.dedup_window_s, 60);
}

struct bad_case {
	const char *text;
	const char *expect;	/* prefix of the error: file:line: ... */
};

static const struct bad_case bad_cases[] = {
	{ "[nosuch]\nx = 1\n", "t.conf:2: unknown section [nosuch]" },
	{ "x = 1\n", "t.conf:1: key 'x' outside any section" },
	{ "[daemon]\nfoo = 1\n", "t.conf:2: unknown key 'foo' in [daemon]" },
	{ "[daemon]\n\nlog_level = loud\n", "t.conf:3: log_level 'loud'" },
	{ "[daemon]\nsocket = relative.sock\n", "t.conf:2: socket 'relative.sock'" },
	{ "[daemon]\nsocket_mode = 0999\n", "t.conf:2: socket_mode '0999'" },
	{ "[daemon]\nsocket_mode = 01777\n", "t.conf:2: socket_mode '01777'" },
	{ "[daemon]\nsystem_bus = maybe\n", "t.conf:2: system_bus 'maybe'" },
	{ "[limits]\nmax_connections = 0\n", "t.conf:2: max_connections: need a number in 1..4096" },
	{ "[limits]\nmax_connections = 4097\n", "t.conf:2: max_connections" },
	{ "[limits]\nidle_timeout_s = -5\n", "t.conf:2: idle_timeout_s" },
	{ "[limits]\nmax_message_size = 12k\n", "t.conf:2: max_message_size" },
	{ "[limits]\nmax_message_size = 99999999999999999999\n", "t.conf:2: max_message_size" },
	{ "[roles]\ncashier_uids = nosuchuser_paycard\n", "t.conf:2: unknown user 'nosuchuser_paycard'" },
	{ "[roles]\nsupervisor_gids = nosuchgroup_paycard\n", "t.conf:2: unknown group 'nosuchgroup_paycard'" },
	{ "[roles]\nboss_uids = 1\n", "t.conf:2: unknown key 'boss_uids' in [roles]" },
	{ "[roles]\ncashier_names = 1\n", "t.conf:2: unknown key 'cashier_names'" },
	{ "[terminal]\nterminal_id = 1234567\n", "t.conf:2: terminal_id '1234567'" },
	{ "[terminal]\nmerchant_id = 898-00012340001\n", "t.conf:2: merchant_id '898-00012340001'" },
	{ "[readers]\nbackend = usb\n", "t.conf:2: backend 'usb'" },
	/* this suite links the production source list (reader_sources.c), as
	 * build/paycardd does: the tests' fake backend and its control socket
	 * are not there */
	{ "[readers]\nbackend = fake\n", "t.conf:2: backend 'fake': this paycardd has no such backend" },
	{ "[readers]\nfake_control = /tmp/f.sock\n", "t.conf:2: unknown key 'fake_control' in [readers]" },
	{ "[readers]\nmodule_autoload = perhaps\n", "t.conf:2: module_autoload 'perhaps'" },
	{ "[readers]\nusb_fallback = sometimes\n", "t.conf:2: usb_fallback 'sometimes'" },
	{ "[firmware]\nPCR-100 = 1..2\n", "t.conf:2: firmware minimum '1..2'" },
	{ "[firmware]\nPCR-100 = v1.2\n", "t.conf:2: firmware minimum 'v1.2'" },
	{ "[firmware]\nPCR-100 = 1.2.\n", "t.conf:2: firmware minimum '1.2.'" },
	{ "[notices]\nmarketing_per_hour = 4000\n", "t.conf:2: marketing_per_hour '4000'" },
	{ "[notices]\nspam_per_hour = 1\n", "t.conf:2: unknown key 'spam_per_hour'" },
	{ "[notices]\nmarketing_muted = 2\n", "t.conf:2: marketing_muted '2'" },
	{ "[daemon]\nthis line has no equals sign\n", "t.conf:2: syntax error" },
	{ "[host]\nprimary = 127.0.0.1\n", "t.conf:2: primary '127.0.0.1': need HOST:PORT" },
	{ "[host]\nbackup = :5800\n", "t.conf:2: backup ':5800'" },
	{ "[host]\nprimary = h:70000\n", "t.conf:2: primary 'h:70000'" },
	{ "[host]\ntls = maybe\n", "t.conf:2: tls 'maybe'" },
	{ "[host]\nca_file = ca.pem\n", "t.conf:2: ca_file 'ca.pem': need an absolute path" },
	{ "[host]\nio_timeout_ms = 50\n", "t.conf:2: io_timeout_ms '50': need 100..120000" },
	{ "[host]\nport = 1\n", "t.conf:2: unknown key 'port' in [host]" },
	{ "[keys]\nstore = keystore\n", "t.conf:2: store 'keystore'" },
	{ "[keys]\nmaster = x\n", "t.conf:2: unknown key 'master' in [keys]" },
	{ "[fees]\ndebit = 0.5%\n", "t.conf:2: debit '0.5%'" },
	{ "[fees]\ncredit = 10001\n", "t.conf:2: credit '10001'" },
	{ "[fees]\ncredit_prefixes = 6225x\n", "t.conf:2: credit_prefixes" },
	{ "[fees]\nqr = 38\n", "t.conf:2: unknown key 'qr' in [fees]" },
	{ "[terminal]\noperator_id = 01\n", "t.conf:2: operator_id '01'" },
	{ "[terminal]\nsign_in_keys = 002\n", "t.conf:2: sign_in_keys '002'" },
	{ "[terminal]\nreversal_attempts = 0\n", "t.conf:2: reversal_attempts '0'" },
	{ "[terminal]\npin_timeout_s = 1\n", "t.conf:2: pin_timeout_s '1'" },
	{ "[terminal]\nreversal_retry_s = 1\n", "t.conf:2: reversal_retry_s '1'" },
	{ "[terminal]\nchip_fallback = maybe\n", "t.conf:2: chip_fallback 'maybe'" },
	{ "[terminal]\nauto_sign_in = daily\n", "t.conf:2: auto_sign_in 'daily'" },
	{ "[terminal]\nfoo = 1\n", "t.conf:2: unknown key 'foo' in [terminal]" },
	/* the first error is the one reported */
	{ "[daemon]\nlog_level = x\nsocket = y\n", "t.conf:2: log_level 'x'" },
};

static void test_every_bad_value_is_refused_with_its_line(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct paycardd_config c;
		char err[CONFIG_ERR_LEN] = "";

		if (parse(&c, bad_cases[i].text, err) != -1 ||
		    strncmp(err, bad_cases[i].expect, strlen(bad_cases[i].expect)) != 0) {
			print_error("case %zu: got \"%s\", want \"%s...\"\n", i, err,
				    bad_cases[i].expect);
			fail();
		}
	}
}

static void test_engine_sections_are_applied(void **state)
{
	static const char text[] =
		"[host]\n"
		"primary = acquirer.example:5800\n"
		"backup = 10.0.0.2:5801\n"
		"tls = yes\n"
		"ca_file = /etc/paycard/ca.pem\n"
		"server_name = acquirer.example\n"
		"connect_timeout_ms = 2000\n"
		"io_timeout_ms = 15000\n"
		"[keys]\n"
		"store = /var/lib/paycard/ks\n"
		"storage_key = /etc/paycard/storage.key\n"
		"[fees]\n"
		"debit = 55 2500\n"
		"credit = 38\n"
		"credit_prefixes = 622588, 4\n"
		"[terminal]\n"
		"merchant_name = Corner Shop\n"
		"operator_id = 007\n"
		"sign_in_keys = 004\n"
		"auto_sign_in = no\n"
		"reversal_attempts = 5\n"
		"pin_timeout_s = 45\n"
		"reversal_retry_s = 120\n";
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN];

	assert_int_equal(parse(&c, text, err), 0);
	assert_string_equal(c.host.primary, "acquirer.example:5800");
	assert_string_equal(c.host.backup, "10.0.0.2:5801");
	assert_true(c.host.tls);
	assert_string_equal(c.host.ca_file, "/etc/paycard/ca.pem");
	assert_string_equal(c.host.server_name, "acquirer.example");
	assert_int_equal(c.host.connect_timeout_ms, 2000);
	assert_int_equal(c.host.io_timeout_ms, 15000);
	assert_string_equal(c.engine.keystore, "/var/lib/paycard/ks");
	assert_string_equal(c.engine.storage_key, "/etc/paycard/storage.key");
	assert_int_equal(c.engine.fees.rule[CARD_DEBIT].rate_bp, 55);
	assert_int_equal(c.engine.fees.rule[CARD_DEBIT].cap, 2500);
	assert_int_equal(c.engine.fees.rule[CARD_CREDIT].rate_bp, 38);
	assert_int_equal(c.engine.fees.rule[CARD_CREDIT].cap, 0);
	assert_int_equal(c.engine.fees.n_credit_prefixes, 2);
	assert_string_equal(c.engine.fees.credit_prefixes[1], "4");
	assert_string_equal(c.engine.merchant_name, "Corner Shop");
	assert_string_equal(c.engine.operator_id, "007");
	assert_string_equal(c.engine.netcode, "004");
	assert_false(c.engine.auto_sign_in);
	assert_int_equal(c.engine.reversal_attempts, 5);
	assert_int_equal(c.engine.pin_timeout_s, 45);
	assert_int_equal(c.engine.reversal_retry_s, 120);
}

static void test_engine_defaults(void **state)
{
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN];

	assert_int_equal(parse(&c, "", err), 0);
	assert_string_equal(c.host.primary, "");	/* no acquirer: engine off */
	assert_string_equal(c.engine.netcode, "003");
	assert_true(c.engine.auto_sign_in);
	assert_int_equal(c.engine.reversal_attempts, 3);
	/* DESIGN.md's example: debit 0.5 % capped at 20 CNY, credit 0.6 % */
	assert_int_equal(c.engine.fees.rule[CARD_DEBIT].rate_bp, 50);
	assert_int_equal(c.engine.fees.rule[CARD_DEBIT].cap, 2000);
	assert_int_equal(c.engine.fees.rule[CARD_CREDIT].rate_bp, 60);
}

static void test_missing_file_is_distinguished(void **state)
{
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN];

	config_set_defaults(&c);
	assert_int_equal(config_parse_file(&c, "/nonexistent/paycardd.conf", err, sizeof(err)), -2);
}

static void test_file_errors_name_the_file(void **state)
{
	char path[] = "/tmp/paycardd-test-XXXXXX";
	struct paycardd_config c;
	char err[CONFIG_ERR_LEN];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("[limits]\nmax_connections = 5\n[terminal]\nterminal_id = short\n", f);
	fclose(f);
	config_set_defaults(&c);
	assert_int_equal(config_parse_file(&c, path, err, sizeof(err)), -1);
	remove(path);
	assert_non_null(strstr(err, ":4: terminal_id 'short'"));
	assert_memory_equal(err, path, strlen(path));
}

static void test_reload_copies_only_reloadable(void **state)
{
	struct paycardd_config running, fresh;
	char err[CONFIG_ERR_LEN];

	assert_int_equal(parse(&running, "[daemon]\nsocket = /run/a.sock\n", err), 0);
	assert_int_equal(parse(&fresh, "[daemon]\nsocket = /run/b.sock\nlog_level = error\n"
			       "[roles]\ncashier_uids = 77\n", err), 0);
	config_apply_reloadable(&running, &fresh);
	assert_string_equal(running.socket_path, "/run/a.sock");	/* needs a restart */
	assert_int_equal(running.log_level, LOG_ERR);
	assert_int_equal(running.roles.uids[ROLE_CASHIER].ids[0], 77);
}

static void test_firmware_versions_compare_numerically(void **state)
{
	assert_true(firmware_version_compare("1.10.0", "1.9") > 0);	/* not strcmp */
	assert_int_equal(firmware_version_compare("1.2", "1.2.0"), 0);
	assert_true(firmware_version_compare("1.2.0", "1.2.1") < 0);
	assert_true(firmware_version_compare("2", "1.99.99") > 0);
	assert_int_equal(firmware_version_compare("", "0"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_from_empty_file),
		cmocka_unit_test(test_full_config_is_applied),
		cmocka_unit_test(test_every_bad_value_is_refused_with_its_line),
		cmocka_unit_test(test_engine_sections_are_applied),
		cmocka_unit_test(test_engine_defaults),
		cmocka_unit_test(test_missing_file_is_distinguished),
		cmocka_unit_test(test_file_errors_name_the_file),
		cmocka_unit_test(test_reload_copies_only_reloadable),
		cmocka_unit_test(test_firmware_versions_compare_numerically),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
