// SPDX-License-Identifier: MIT
/*
 * The acquirer host simulator driven by a test terminal over the host link,
 * once over plain TCP and once over TLS: sign-in with key check values,
 * every transaction type, the ledger, settlement and batch upload, and
 * every fault mode (selected per test through per-amount rules in the
 * simulator's configuration).
 *
 * Environment: PAYCARD_HOSTSIM (the program), PAYCARD_TEST_CERTS (output
 * of gen-test-certs.sh).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "chip_card.h"
#include "iso8583/tlv.h"
#include "terminal.h"

#define DEBIT_PAN	"6222021234567890123"	/* PIN 1234, 1000.00 CNY */
#define CREDIT_PAN	"6225880000000001"	/* credit, no PIN, 500.00 */
#define POOR_PAN	"6222020000000009"	/* PIN 4321, 10.00 */
#define DUKPT_PAN	"4012345678909"		/* X9.24-1 A.4 vector card */
/* Virtual EMV cards (tests/emu/card/profiles): the simulator holds the same
 * issuer master keys as the profiles' imk lines (test keys). */
#define CHIP_CUP	"tests/emu/card/profiles/unionpay-debit.card"
#define CHIP_CUP_PAN	"6212345678901232"	/* PSN 01, PIN 1234 */
#define CHIP_VISA	"tests/emu/card/profiles/visa-no-pse.card"
#define CHIP_VISA_PAN	"4761739001010010"	/* no PSN, credit */

static const char config_text[] =
	"[host]\n"
	"acquirer_id = 48021000\n"
	"[terminal 12345678]\n"
	"merchant = 898100012345678\n"
	"name = Test Shop\n"
	"master_key = 70F2A84CCBC2AE8625CBB0F2C22AB923\n"
	"[terminal 77777777]\n"
	"merchant = 898100012345678\n"
	"master_key = 70F2A84CCBC2AE8625CBB0F2C22AB923\n"
	"[terminal 77777778]\n"
	"merchant = 898100012345678\n"
	"master_key = 70F2A84CCBC2AE8625CBB0F2C22AB923\n"
	"[terminal 99999999]\n"
	"merchant = 898100099999999\n"
	"master_key = 0123456789ABCDEFFEDCBA9876543210\n"
	"bdk = 0123456789ABCDEFFEDCBA9876543210\n"
	"[card " DUKPT_PAN "]\n"
	"pin = 1234\nbalance = 10000\ntype = debit\n"
	"[card " DEBIT_PAN "]\n"
	"pin = 1234\nbalance = 100000\ntype = debit\n"
	"[card " CREDIT_PAN "]\n"
	"balance = 50000\ntype = credit\n"
	"[card " POOR_PAN "]\n"
	"pin = 4321\nbalance = 1000\ntype = debit\n"
	"[card " CHIP_CUP_PAN "]\n"
	"pin = 1234\nbalance = 100000\ntype = debit\n"
	"issuer_key = 0123456789ABCDEFFEDCBA9876543210\n"
	"[card " CHIP_VISA_PAN "]\n"
	"balance = 50000\ntype = credit\n"
	"issuer_key = 00112233445566778899AABBCCDDEEFF\n"
	"[faults]\n"
	"9701 = rc:A0\n9722 = rc:22\n9777 = rc:77\n9794 = rc:94\n"
	"9797 = rc:97\n9751 = rc:51\n9755 = rc:55\n"
	"8001 = delay:700\n8002 = noanswer\n8003 = disconnect\n8004 = garbage\n"
	"8005 = badmac\n8006 = merchant:898100066666666\n"
	"8007 = terminal:87654321\n8008 = stan:dup\n8009 = stan:other\n"
	"8010 = reset\n";

struct sim {
	pid_t pid;
	char port[16];
	char dir[64];
	char ledger[128];
	bool tls;
};

static struct sim sim;
static const char *certs;
static struct iso_msg req, resp;

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Start a simulator on a free port; @fault: its --fault option or NULL. */
static int launch(struct sim *s, bool tls, const char *fault)
{
	char config[128], port_file[128], text[2048];
	FILE *f;

	s->tls = tls;
	snprintf(s->dir, sizeof(s->dir), "/tmp/hostsim-test-XXXXXX");
	if (!mkdtemp(s->dir))
		return -1;
	snprintf(config, sizeof(config), "%s/hostsim.ini", s->dir);
	snprintf(port_file, sizeof(port_file), "%s/port", s->dir);
	snprintf(s->ledger, sizeof(s->ledger), "%s/ledger.sqlite", s->dir);
	snprintf(text, sizeof(text), "%s[host]\ntls_cert = %s/server.pem\n"
		 "tls_key = %s/server.key\n", config_text, certs, certs);
	write_file(config, text);
	s->pid = fork();
	if (s->pid == 0) {
		const char *prog = getenv("PAYCARD_HOSTSIM");
		const char *argv[12] = { prog, "--config", config, "--ledger", s->ledger,
					 "--port-file", port_file };
		int argc = 7, null = open("/dev/null", O_WRONLY);

		if (tls)
			argv[argc++] = "--tls";
		if (fault) {
			argv[argc++] = "--fault";
			argv[argc++] = fault;
		}
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		/* a failed assertion skips stop(): never outlive the test */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		execv(prog, (char **)argv);
		_exit(127);
	}
	for (int i = 0; i < 100; i++) {
		f = fopen(port_file, "r");
		if (f && fgets(s->port, sizeof(s->port), f)) {
			s->port[strcspn(s->port, "\n")] = '\0';
			fclose(f);
			return 0;
		}
		if (f)
			fclose(f);
		usleep(50000);
	}
	return -1;
}

static int stop(struct sim *s)
{
	char cmd[160];

	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s->dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int stop_sim(void **state) { return stop(&sim); }
static int start_plain(void **state) { return launch(&sim, false, NULL); }
static int start_tls(void **state) { return launch(&sim, true, NULL); }

/* Each test: a fresh connection and a fresh sign-in (003). */
static int open_terminal(void **state)
{
	static struct terminal t;
	struct link_options o = { sim.port, sim.tls, certs, 2000 };

	if (terminal_open(&t, &o) || terminal_sign_in(&t, "003"))
		return -1;
	*state = &t;
	return 0;
}

static int close_terminal(void **state)
{
	terminal_close(*state);
	return 0;
}

static void assert_rc(const struct iso_msg *m, const char *want)
{
	char rc[3] = "";

	iso_msg_get_str(m, 39, rc, sizeof(rc));
	assert_string_equal(rc, want);
}

static void field(const struct iso_msg *m, int k, char *out, size_t size)
{
	assert_int_equal(iso_msg_get_str(m, k, out, size), ISO_OK);
}

/* A sale, answered and MAC-checked; returns the response code. */
static void sale(struct terminal *t, const char *pan, const char *pin,
		 long long amount)
{
	terminal_request(t, &req, "0200", "000000", amount, "22", NULL);
	terminal_card(t, &req, pan, pin);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_true(terminal_response_mac_ok(t, &resp));
}

static long long balance(struct terminal *t, const char *pan, const char *pin)
{
	char f54[32];

	terminal_request(t, &req, "0200", "310000", -1, "01", NULL);
	terminal_card(t, &req, pan, pin);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	field(&resp, 54, f54, sizeof(f54));
	assert_memory_equal(f54, "1002156C", 8);
	return atoll(f54 + 8);
}

/* ---- sign-in ---- */

static void sign_in_case(const char *netcode, size_t key_len)
{
	struct terminal t;
	struct link_options o = { sim.port, sim.tls, certs, 2000 };

	assert_int_equal(terminal_open(&t, &o), HL_OK);
	/* terminal_sign_in decrypts every key under the TMK and checks its
	 * 4-byte check value; a wrong CV or length fails here */
	assert_int_equal(terminal_sign_in(&t, netcode), 0);
	assert_int_equal(t.key_len, key_len);
	/* the new MAK works: a balance inquiry is accepted and MAC'd */
	assert_int_equal(balance(&t, CREDIT_PAN, NULL) >= 0, 1);
	terminal_close(&t);
}

static void test_sign_in_001(void **state) { sign_in_case("001", 8); }
static void test_sign_in_003(void **state) { sign_in_case("003", 16); }
static void test_sign_in_004(void **state) { sign_in_case("004", 16); }

static void test_sign_in_bad_netcode(void **state)
{
	struct terminal *t = *state;

	terminal_request(t, &req, "0800", NULL, -1, "00", "009");
	assert_int_equal(terminal_exchange(t, &req, false, &resp), HL_OK);
	assert_rc(&resp, "30");
}

static void test_unknown_terminal(void **state)
{
	struct terminal *t = *state;

	snprintf(t->tid, sizeof(t->tid), "00000000");
	terminal_request(t, &req, "0800", NULL, -1, "00", "003");
	assert_int_equal(terminal_exchange(t, &req, false, &resp), HL_OK);
	assert_rc(&resp, "97");
}

static void test_wrong_merchant(void **state)
{
	struct terminal *t = *state;

	snprintf(t->mid, sizeof(t->mid), "898100099999999");
	terminal_request(t, &req, "0800", NULL, -1, "00", "003");
	assert_int_equal(terminal_exchange(t, &req, false, &resp), HL_OK);
	assert_rc(&resp, "03");
}

static void test_sign_out_then_sale_refused(void **state)
{
	struct terminal *t = *state;

	terminal_request(t, &req, "0820", NULL, -1, "00", "002");
	assert_int_equal(terminal_exchange(t, &req, false, &resp), HL_OK);
	assert_rc(&resp, "00");
	terminal_request(t, &req, "0200", "000000", 100, "22", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "77");
}

/* ---- transactions ---- */

static void test_sale_approved(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, DEBIT_PAN, "1234");
	char text[16], stan[7];

	sale(t, DEBIT_PAN, "1234", 1234);
	assert_rc(&resp, "00");
	snprintf(stan, sizeof(stan), "%06u", t->stan);
	field(&resp, 11, text, sizeof(text));
	assert_string_equal(text, stan);
	field(&resp, 41, text, sizeof(text));
	assert_string_equal(text, "12345678");
	field(&resp, 37, text, sizeof(text));
	assert_int_equal(strlen(text), 12);
	field(&resp, 38, text, sizeof(text));
	assert_int_equal(strlen(text), 6);
	field(&resp, 32, text, sizeof(text));
	assert_string_equal(text, "48021000");
	assert_false(iso_msg_has(&resp, 35));
	assert_false(iso_msg_has(&resp, 52));
	assert_int_equal(balance(t, DEBIT_PAN, "1234"), before - 1234);
}

static void test_sale_wrong_pin(void **state)
{
	struct terminal *t = *state;

	sale(t, DEBIT_PAN, "9999", 100);
	assert_rc(&resp, "55");
}

static void test_sale_debit_without_pin(void **state)
{
	struct terminal *t = *state;

	sale(t, DEBIT_PAN, NULL, 100);
	assert_rc(&resp, "55");
}

static void test_sale_insufficient_funds(void **state)
{
	struct terminal *t = *state;

	sale(t, POOR_PAN, "4321", 1001);	/* balance 1000 */
	assert_rc(&resp, "51");
}

static void test_sale_unknown_card(void **state)
{
	struct terminal *t = *state;

	sale(t, "6222029999999999", NULL, 100);
	assert_rc(&resp, "14");
}

static void test_sale_bad_request_mac(void **state)
{
	struct terminal *t = *state;

	t->mak[0] ^= 0x10;	/* the terminal MACs with a wrong key */
	terminal_request(t, &req, "0200", "000000", 100, "22", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "A0");
}

static void test_duplicate_stan(void **state)
{
	struct terminal *t = *state;

	sale(t, CREDIT_PAN, NULL, 100);
	assert_rc(&resp, "00");
	t->stan--;	/* same STAN again in the same batch */
	sale(t, CREDIT_PAN, NULL, 100);
	assert_rc(&resp, "94");
}

static void test_void(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, DEBIT_PAN, "1234");
	char orig[7], f61[20];

	sale(t, DEBIT_PAN, "1234", 2500);
	assert_rc(&resp, "00");
	snprintf(orig, sizeof(orig), "%06u", t->stan);
	snprintf(f61, sizeof(f61), "%s%s", t->batch, orig);
	for (int round = 0; round < 2; round++) {
		terminal_request(t, &req, "0200", "200000", 2500, "23", NULL);
		terminal_card(t, &req, DEBIT_PAN, "1234");
		iso_msg_set_str(&req, 61, f61);
		assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
		/* the second void finds the sale already voided */
		assert_rc(&resp, round == 0 ? "00" : "12");
	}
	assert_int_equal(balance(t, DEBIT_PAN, "1234"), before);
}

static void test_refund(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CREDIT_PAN, NULL);
	char rrn[13];

	sale(t, CREDIT_PAN, NULL, 3000);
	assert_rc(&resp, "00");
	field(&resp, 37, rrn, sizeof(rrn));
	terminal_request(t, &req, "0220", "200000", 1000, "25", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 37, rrn);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	/* 2000 remain refundable: 2001 is too much */
	terminal_request(t, &req, "0220", "200000", 2001, "25", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 37, rrn);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "13");
	assert_int_equal(balance(t, CREDIT_PAN, NULL), before - 2000);
}

static void test_preauth_family(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CREDIT_PAN, NULL);
	char auth1[7], auth2[7];

	terminal_request(t, &req, "0100", "030000", 5000, "10", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	field(&resp, 38, auth1, sizeof(auth1));
	assert_int_equal(balance(t, CREDIT_PAN, NULL), before - 5000);	/* held */

	terminal_request(t, &req, "0100", "030000", 700, "10", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	field(&resp, 38, auth2, sizeof(auth2));

	/* complete the first for less than authorised */
	terminal_request(t, &req, "0200", "000000", 4200, "20", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 38, auth1);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");

	/* void the second pre-auth */
	terminal_request(t, &req, "0100", "200000", 700, "11", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 38, auth2);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");

	/* completing a released pre-auth is refused */
	terminal_request(t, &req, "0200", "000000", 700, "20", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 38, auth2);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "12");
	assert_int_equal(balance(t, CREDIT_PAN, NULL), before - 4200);
}

static void ledger_status(const char *stan, char *out, size_t size)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_open_v2(sim.ledger, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT status FROM txn WHERE stan = ?"
					    " ORDER BY id DESC LIMIT 1", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, stan, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The host approves but never answers; the terminal reverses. */
static void test_no_answer_then_reversal(void **state)
{
	struct terminal *t = *state, fresh;
	struct link_options o = { sim.port, sim.tls, certs, 2000 };
	long long before = balance(t, DEBIT_PAN, "1234");
	char stan[7], status[16];

	terminal_request(t, &req, "0200", "000000", 8002, "22", NULL);
	terminal_card(t, &req, DEBIT_PAN, "1234");
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_ERR_TIMEOUT);
	snprintf(stan, sizeof(stan), "%06u", t->stan);
	ledger_status(stan, status, sizeof(status));
	assert_string_equal(status, "approved");	/* the host did take it */

	/* the link closed on the timeout: reconnect, keep the session keys */
	assert_int_equal(terminal_open(&fresh, &o), HL_OK);
	memcpy(fresh.pik, t->pik, sizeof(fresh.pik));
	memcpy(fresh.mak, t->mak, sizeof(fresh.mak));
	fresh.key_len = t->key_len;
	fresh.stan = t->stan;
	terminal_close(t);
	*t = fresh;
	assert_int_equal(balance(t, DEBIT_PAN, "1234"), before - 8002);

	/* 0400 with the original's STAN, amount and card, reason code 98 */
	for (int round = 0; round < 2; round++) {
		terminal_request(t, &req, "0400", "000000", 8002, "22", NULL);
		iso_msg_set_str(&req, 11, stan);
		terminal_card(t, &req, DEBIT_PAN, NULL);
		iso_msg_set_str(&req, 39, "98");
		assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
		/* a repeated reversal is harmless and still approved */
		assert_rc(&resp, "00");
		assert_true(terminal_response_mac_ok(t, &resp));
		ledger_status(stan, status, sizeof(status));
		assert_string_equal(status, "reversed");
		assert_int_equal(balance(t, DEBIT_PAN, "1234"), before);
	}
}

/*
 * DUKPT PIN (X9.24-1:2009 A.4, DESIGN.md): BDK 0123456789ABCDEFFEDCBA9876543210,
 * PIN 1234, PAN 4012345678909; the block under the key of KSN
 * FFFF9876543210E00001 is 1B9C1845EB993A7A, under ...E00002 10A01C8D02C69107.
 * The terminal sends the KSN in field 62; terminal 99999999 has the BDK.
 */
static void dukpt_sale(struct terminal *t, const char *block_hex,
		       const char *ksn_hex, const char *want_rc)
{
	uint8_t block[8], ksn[10];

	for (int i = 0; i < 8; i++)
		sscanf(block_hex + 2 * i, "%2hhx", &block[i]);
	for (int i = 0; i < 10; i++)
		sscanf(ksn_hex + 2 * i, "%2hhx", &ksn[i]);
	terminal_request(t, &req, "0200", "000000", 100, "22", NULL);
	terminal_card(t, &req, DUKPT_PAN, NULL);
	iso_msg_set_str(&req, 22, "021");
	iso_msg_set(&req, 52, block, sizeof(block));
	iso_msg_set(&req, 62, ksn, sizeof(ksn));
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, want_rc);
}

static void test_dukpt_pin(void **state)
{
	struct terminal t;
	struct link_options o = { sim.port, sim.tls, certs, 2000 };

	assert_int_equal(terminal_open(&t, &o), HL_OK);
	snprintf(t.tid, sizeof(t.tid), "99999999");
	snprintf(t.mid, sizeof(t.mid), "898100099999999");
	for (int i = 0; i < 16; i++)
		t.tmk[i] = (uint8_t[]){ 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
					0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10 }[i];
	assert_int_equal(terminal_sign_in(&t, "003"), 0);
	dukpt_sale(&t, "1B9C1845EB993A7A", "FFFF9876543210E00001", "00");
	dukpt_sale(&t, "10A01C8D02C69107", "FFFF9876543210E00002", "00");
	/* a block paired with the wrong KSN decrypts to garbage: wrong PIN */
	dukpt_sale(&t, "18DC07B94797B466", "FFFF9876543210E00001", "55");
	terminal_close(&t);
}

/* ---- chip: ARQC verified by the host, ARPC verified by the card ---- */

static struct chip_card chip;

static int remove_chip(void **state)
{
	chip_card_remove(&chip);
	return close_terminal(state);
}

/* A chip sale of @amount: the card read up to its ARQC, then the request. */
static void chip_sale(struct terminal *t, const char *profile, const char *pin,
		      long long amount)
{
	assert_int_equal(chip_card_read(&chip, profile, amount), 0);
	terminal_request(t, &req, "0200", "000000", amount, "22", NULL);
	terminal_card(t, &req, chip.session.card.pan, pin);
	chip_card_request(&chip, &req);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_true(terminal_response_mac_ok(t, &resp));
}

/* The issuer authentication data of the answer (55 = 91 only). */
static const uint8_t *issuer_auth(size_t *len)
{
	size_t n;
	const uint8_t *f55 = iso_msg_get(&resp, 55, &n);
	struct tlv tlv;

	if (!f55 || tlv_find(f55, n, 0x91, &tlv) != TLV_OK)
		return NULL;
	*len = tlv.len;
	return tlv.value;
}

static void assert_card_decision(enum emv_ac_type want)
{
	enum emv_ac_type type;

	assert_int_equal(chip_card_complete(&chip, &resp, &type), 0);
	assert_int_equal(type, want);
}

static void test_chip_sale_approved(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CHIP_CUP_PAN, "1234");
	const uint8_t *iad;
	size_t len;

	chip_sale(t, CHIP_CUP, "1234", 1234);
	assert_rc(&resp, "00");
	/* 91 = ARPC (8) || ARC "00" */
	iad = issuer_auth(&len);
	assert_non_null(iad);
	assert_int_equal(len, 10);
	assert_memory_equal(iad + 8, "00", 2);
	/* the card checks the ARPC: a TC only when it is its issuer's */
	assert_card_decision(EMV_AC_TC);
	assert_true(chip.session.tsi[0] & EMV_TSI_ISSUER_AUTH);
	assert_int_equal(balance(t, CHIP_CUP_PAN, "1234"), before - 1234);
}

/* Visa card: no PSN (field 23 absent, PSN "00" in the key derivation), T=0
 * answers, 91 taken in CDOL2; credit, no PIN. */
static void test_chip_sale_no_psn(void **state)
{
	chip_sale(*state, CHIP_VISA, NULL, 4321);
	assert_false(iso_msg_has(&req, 23));
	assert_rc(&resp, "00");
	assert_card_decision(EMV_AC_TC);
}

/* A valid ARQC and a decline for another reason: 91 carries that code, the
 * card declines (AAC) knowing it came from its issuer. */
static void test_chip_sale_wrong_pin(void **state)
{
	const uint8_t *iad;
	size_t len;

	chip_sale(*state, CHIP_CUP, "9999", 500);
	assert_rc(&resp, "55");
	iad = issuer_auth(&len);
	assert_non_null(iad);
	assert_memory_equal(iad + 8, "55", 2);
	assert_card_decision(EMV_AC_AAC);
	assert_true(chip.session.tsi[0] & EMV_TSI_ISSUER_AUTH);
}

/* Declined 34 (suspected fraud), nothing charged, no 91: the card ends
 * the transaction with an AAC. */
static void assert_cryptogram_declined(struct terminal *t, long long before)
{
	size_t len;

	assert_rc(&resp, "34");
	assert_null(issuer_auth(&len));
	assert_card_decision(EMV_AC_AAC);
	assert_int_equal(balance(t, CHIP_CUP_PAN, "1234"), before);
}

static void test_chip_tampered_amount(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CHIP_CUP_PAN, "1234");

	assert_int_equal(chip_card_read(&chip, CHIP_CUP, 1234), 0);
	/* 12.34 signed by the card; 12.35 in 9F02 and in field 4 */
	assert_int_equal(chip_card_tamper(&chip, 0x9f02, 5, 0x35), 0);
	terminal_request(t, &req, "0200", "000000", 1235, "22", NULL);
	terminal_card(t, &req, CHIP_CUP_PAN, "1234");
	chip_card_request(&chip, &req);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_cryptogram_declined(t, before);
}

/* Field 55 intact, field 4 raised: the ARQC is genuine but does not cover
 * the amount charged. */
static void test_chip_amount_not_signed(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CHIP_CUP_PAN, "1234");

	assert_int_equal(chip_card_read(&chip, CHIP_CUP, 1234), 0);
	terminal_request(t, &req, "0200", "000000", 99999, "22", NULL);
	terminal_card(t, &req, CHIP_CUP_PAN, "1234");
	chip_card_request(&chip, &req);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_cryptogram_declined(t, before);
}

static void test_chip_tampered_arqc(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CHIP_CUP_PAN, "1234");
	struct tlv arqc;

	assert_int_equal(chip_card_read(&chip, CHIP_CUP, 1234), 0);
	assert_int_equal(tlv_find(chip.f55, chip.f55_len, 0x9f26, &arqc), TLV_OK);
	assert_int_equal(chip_card_tamper(&chip, 0x9f26, 7,
					  (uint8_t)(arqc.value[7] ^ 0x01)), 0);
	terminal_request(t, &req, "0200", "000000", 1234, "22", NULL);
	terminal_card(t, &req, CHIP_CUP_PAN, "1234");
	chip_card_request(&chip, &req);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_cryptogram_declined(t, before);
}

/* The PSN is part of the card key: another PSN, another key. */
static void test_chip_wrong_psn(void **state)
{
	struct terminal *t = *state;
	long long before = balance(t, CHIP_CUP_PAN, "1234");

	assert_int_equal(chip_card_read(&chip, CHIP_CUP, 1234), 0);
	terminal_request(t, &req, "0200", "000000", 1234, "22", NULL);
	terminal_card(t, &req, CHIP_CUP_PAN, "1234");
	chip_card_request(&chip, &req);
	iso_msg_set_str(&req, 23, "002");
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_cryptogram_declined(t, before);
}

/* Chip entry mode without field 55, or field 55 without an ARQC. */
static void test_chip_data_missing(void **state)
{
	struct terminal *t = *state;
	static const uint8_t no_arqc[] = { 0x9f, 0x36, 0x02, 0x00, 0x11 };

	terminal_request(t, &req, "0200", "000000", 100, "22", NULL);
	terminal_card(t, &req, CHIP_CUP_PAN, "1234");
	iso_msg_set_str(&req, 22, "051");
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "30");
	terminal_request(t, &req, "0200", "000000", 100, "22", NULL);
	terminal_card(t, &req, CHIP_CUP_PAN, "1234");
	iso_msg_set_str(&req, 22, "051");
	iso_msg_set(&req, 55, no_arqc, sizeof(no_arqc));
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "30");
}

/* A card the issuer holds no chip keys for cannot pass a chip request. */
static void test_chip_card_without_issuer_key(void **state)
{
	struct terminal *t = *state;

	assert_int_equal(chip_card_read(&chip, CHIP_CUP, 100), 0);
	terminal_request(t, &req, "0200", "000000", 100, "22", NULL);
	chip_card_request(&chip, &req);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 22, "052");
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "40");
}

/* ---- settlement and batch upload ---- */

static void settle(struct terminal *t, const char *totals, char *reply48)
{
	terminal_request(t, &req, "0500", NULL, -1, "00", "201");
	iso_msg_set_str(&req, 48, totals);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	assert_true(terminal_response_mac_ok(t, &resp));
	field(&resp, 48, reply48, 64);
}

static void upload(struct terminal *t, const char *netcode, const char *f48,
		   const char *rc)
{
	terminal_request(t, &req, "0320", NULL, -1, "00", netcode);
	iso_msg_set_str(&req, 48, f48);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, rc);
}

static void test_settlement_and_batch_upload(void **state)
{
	struct terminal *t = *state;
	char rrn[13], stan_a[7], stan_b[7], f61[13], f48[64];

	/* a terminal of its own (the host gives the batch at sign-in), so
	 * other tests' transactions do not count */
	snprintf(t->tid, sizeof(t->tid), "%s", sim.tls ? "77777778" : "77777777");
	snprintf(t->batch, sizeof(t->batch), "000777");
	assert_int_equal(terminal_sign_in(t, "003"), 0);
	/* first sign-in of that terminal: the host keeps the batch it sent */
	assert_string_equal(t->batch, "000777");
	sale(t, DEBIT_PAN, "1234", 1000);
	assert_rc(&resp, "00");
	snprintf(stan_a, sizeof(stan_a), "%06u", t->stan);
	field(&resp, 37, rrn, sizeof(rrn));
	sale(t, CREDIT_PAN, NULL, 2000);
	assert_rc(&resp, "00");
	snprintf(stan_b, sizeof(stan_b), "%06u", t->stan);
	sale(t, CREDIT_PAN, NULL, 500);		/* voided below: not counted */
	assert_rc(&resp, "00");
	snprintf(f61, sizeof(f61), "%s%06u", t->batch, t->stan);
	terminal_request(t, &req, "0200", "200000", 500, "23", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	iso_msg_set_str(&req, 61, f61);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	terminal_request(t, &req, "0220", "200000", 300, "25", NULL);
	terminal_card(t, &req, DEBIT_PAN, NULL);
	iso_msg_set_str(&req, 37, rrn);
	assert_int_equal(terminal_exchange(t, &req, true, &resp), HL_OK);
	assert_rc(&resp, "00");
	sale(t, CREDIT_PAN, NULL, 9751);	/* declined by rule: not counted */
	assert_rc(&resp, "51");

	/* the terminal believes in 3 debits (1000 + 2000 + 1 more), credits
	 * 300 in 1: not balanced (code 2), the batch stays open */
	settle(t, "0000000030000030000000003000010", f48);
	assert_string_equal(f48, "0000000030000030000000003000012");
	/* debits 1000 + 2000 in 2, credits 300 in 1, code 0:
	 * 000000003000 002 000000000300 001 0 -> answered with code 1 */
	settle(t, "0000000030000020000000003000010", f48);
	assert_string_equal(f48, "0000000030000020000000003000011");
	/* balanced: settled, the host's next 0810 gives the next batch */
	snprintf(t->batch, sizeof(t->batch), "000001");
	assert_int_equal(terminal_sign_in(t, "003"), 0);
	assert_string_equal(t->batch, "000778");
	/* the new batch is empty: a 2-debit upload of the old batch's
	 * sales matches none of it, the end of upload with 0 matches */
	snprintf(f48, sizeof(f48), "02%s000000001000%s000000002000", stan_a, stan_b);
	upload(t, "201", f48, "00");
	field(&resp, 48, f48, sizeof(f48));
	assert_string_equal(f48, "00");
	upload(t, "207", "0001", "95");
	upload(t, "207", "0000", "00");
	/* an approved end of upload settles that batch too */
	assert_int_equal(terminal_sign_in(t, "003"), 0);
	assert_string_equal(t->batch, "000779");
}


/* ---- fault modes (chosen by amount, see config_text) ---- */

static int fault_sale(struct terminal *t, long long amount)
{
	terminal_request(t, &req, "0200", "000000", amount, "22", NULL);
	terminal_card(t, &req, CREDIT_PAN, NULL);
	return terminal_exchange(t, &req, true, &resp);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_fault_delay(void **state)
{
	int64_t t0 = now_ms();

	assert_int_equal(fault_sale(*state, 8001), HL_OK);
	assert_true(now_ms() - t0 >= 700);
	assert_rc(&resp, "00");
	assert_true(terminal_response_mac_ok(*state, &resp));
}

static void test_fault_disconnect(void **state)
{
	assert_int_equal(fault_sale(*state, 8003), HL_ERR_CLOSED);
}

static void test_fault_reset(void **state)
{
	assert_int_equal(fault_sale(*state, 8010), HL_ERR_RESET);
}

static void test_fault_garbage(void **state)
{
	int r = fault_sale(*state, 8004);

	/* random bytes in a correct length frame: undecodable, or (very
	 * unlikely) decodable but then never with a valid MAC */
	assert_true(r == -1 || (r == HL_OK && !terminal_response_mac_ok(*state, &resp)));
}

static void test_fault_bad_mac(void **state)
{
	assert_int_equal(fault_sale(*state, 8005), HL_OK);
	assert_rc(&resp, "00");
	assert_false(terminal_response_mac_ok(*state, &resp));
}

static void test_fault_other_merchant(void **state)
{
	char mid[16];

	assert_int_equal(fault_sale(*state, 8006), HL_OK);
	field(&resp, 42, mid, sizeof(mid));
	assert_string_equal(mid, "898100066666666");
	/* "jumping merchant": correctly MAC'd, only the ID betrays it */
	assert_true(terminal_response_mac_ok(*state, &resp));
}

static void test_fault_other_terminal(void **state)
{
	char tid[9];

	assert_int_equal(fault_sale(*state, 8007), HL_OK);
	field(&resp, 41, tid, sizeof(tid));
	assert_string_equal(tid, "87654321");
}

static void test_fault_duplicate_answer(void **state)
{
	struct terminal *t = *state;
	char stan[7], first[7], second[7];

	assert_int_equal(fault_sale(t, 8008), HL_OK);
	snprintf(stan, sizeof(stan), "%06u", t->stan);
	field(&resp, 11, first, sizeof(first));
	assert_int_equal(terminal_receive(t, &resp, 1000), HL_OK);
	field(&resp, 11, second, sizeof(second));
	assert_string_equal(first, stan);
	assert_string_equal(second, stan);
}

static void test_fault_other_stan(void **state)
{
	struct terminal *t = *state;
	char stan[7], got[7];

	assert_int_equal(fault_sale(t, 8009), HL_OK);
	snprintf(stan, sizeof(stan), "%06u", t->stan);
	field(&resp, 11, got, sizeof(got));
	assert_string_not_equal(got, stan);
}

static void test_fault_response_codes(void **state)
{
	static const struct { long long amount; const char *rc; } cases[] = {
		{ 9701, "A0" }, { 9722, "22" }, { 9777, "77" }, { 9794, "94" },
		{ 9797, "97" }, { 9751, "51" }, { 9755, "55" },
	};
	struct terminal *t = *state;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(fault_sale(t, cases[i].amount), HL_OK);
		assert_rc(&resp, cases[i].rc);
		assert_true(terminal_response_mac_ok(t, &resp));
	}
}

/* --fault SPEC on the command line: every request but sign-in. */
static void test_global_fault_option(void **state)
{
	struct sim other;
	struct terminal t;
	struct link_options o = { NULL, sim.tls, certs, 500 };

	assert_int_equal(launch(&other, sim.tls, "noanswer"), 0);
	o.port = other.port;
	assert_int_equal(terminal_open(&t, &o), HL_OK);
	assert_int_equal(terminal_sign_in(&t, "001"), 0);	/* not faulted */
	terminal_request(&t, &req, "0200", "000000", 100, "22", NULL);
	terminal_card(&t, &req, CREDIT_PAN, NULL);
	assert_int_equal(terminal_exchange(&t, &req, true, &resp), HL_ERR_TIMEOUT);
	terminal_close(&t);
	assert_int_equal(stop(&other), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, open_terminal, close_terminal)
#define C(name) cmocka_unit_test_setup_teardown(name, open_terminal, remove_chip)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_in_001),
		cmocka_unit_test(test_sign_in_003),
		cmocka_unit_test(test_sign_in_004),
		T(test_sign_in_bad_netcode),
		T(test_unknown_terminal),
		T(test_wrong_merchant),
		T(test_sign_out_then_sale_refused),
		T(test_sale_approved),
		T(test_sale_wrong_pin),
		T(test_sale_debit_without_pin),
		T(test_sale_insufficient_funds),
		T(test_sale_unknown_card),
		T(test_sale_bad_request_mac),
		T(test_duplicate_stan),
		T(test_void),
		T(test_refund),
		T(test_preauth_family),
		T(test_no_answer_then_reversal),
		cmocka_unit_test(test_dukpt_pin),
		C(test_chip_sale_approved),
		C(test_chip_sale_no_psn),
		C(test_chip_sale_wrong_pin),
		C(test_chip_tampered_amount),
		C(test_chip_amount_not_signed),
		C(test_chip_tampered_arqc),
		C(test_chip_wrong_psn),
		T(test_chip_data_missing),
		C(test_chip_card_without_issuer_key),
		T(test_settlement_and_batch_upload),
		T(test_fault_delay),
		T(test_fault_disconnect),
		T(test_fault_reset),
		T(test_fault_garbage),
		T(test_fault_bad_mac),
		T(test_fault_other_merchant),
		T(test_fault_other_terminal),
		T(test_fault_duplicate_answer),
		T(test_fault_other_stan),
		T(test_fault_response_codes),
		cmocka_unit_test(test_global_fault_option),
	};
	int failed;

	certs = getenv("PAYCARD_TEST_CERTS");
	if (!certs || !getenv("PAYCARD_HOSTSIM")) {
		fprintf(stderr, "PAYCARD_TEST_CERTS and PAYCARD_HOSTSIM must be set\n");
		return 1;
	}
	failed = cmocka_run_group_tests_name("hostsim-tcp", tests, start_plain, stop_sim);
	failed += cmocka_run_group_tests_name("hostsim-tls", tests, start_tls, stop_sim);
	return failed ? 1 : 0;
}
