// SPDX-License-Identifier: MIT
#include "paycardd/engine/engine_setup.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/keystore.h"
#include "hostlink/hostlink.h"
#include "paycardd/daemon.h"
#include "paycardd/engine/engine_job.h"
#include "paycardd/engine/link_queue.h"
#include "paycardd/log.h"
#include "txn/engine.h"
#include "txn/journal.h"

/* Strings the host link keeps pointers to (its config must outlive it). */
static struct {
	char host[2][128], port[2][8];
} link_names;

static void on_notice(void *user, const char *code, const char *text)
{
	/* the engine raises only what a merchant must see: answers refused,
	 * keys refused, reversals given up, batches that do not balance */
	daemon_notice(user, NOTICE_SECURITY, code, "%s", text);
}

static void on_log(void *user, int level, const char *text)
{
	log_msg(level, "engine: %s", text);
}

static void on_signed_in(void *user, bool signed_in)
{
	events_terminal_changed(user, "SignedIn", "BatchNumber", "HostReachability", NULL);
}

static void fill_config(const struct paycardd *d, struct txn_config *tc)
{
	memset(tc, 0, sizeof(*tc));
	memcpy(tc->terminal_id, d->cfg.terminal_id, sizeof(tc->terminal_id));
	memcpy(tc->merchant_id, d->cfg.merchant_id, sizeof(tc->merchant_id));
	memcpy(tc->operator_id, d->cfg.engine.operator_id, sizeof(tc->operator_id));
	memcpy(tc->netcode, d->cfg.engine.netcode, sizeof(tc->netcode));
	tc->reversal_attempts = d->cfg.engine.reversal_attempts;
	tc->answer_timeout_ms = (int)d->cfg.host.io_timeout_ms;
	tc->fees = d->cfg.engine.fees;
	tc->pin_dukpt = d->cfg.engine.pin_dukpt;
}

/* The journal's PAN-hash key: 32 random bytes in state_dir, made once. */
static int journal_key(const struct paycardd *d, uint8_t key[JOURNAL_HASH_KEY_LEN])
{
	char path[CONFIG_PATH_LEN + 32];
	int fd, n = -1;

	snprintf(path, sizeof(path), "%s/journal-hash.key", d->cfg.state_dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0 && (pcc_random(key, JOURNAL_HASH_KEY_LEN) != PCC_OK ||
				write(fd, key, JOURNAL_HASH_KEY_LEN) != JOURNAL_HASH_KEY_LEN ||
				fsync(fd) < 0)) {
			close(fd);
			unlink(path);
			return -1;
		}
		if (fd >= 0) {
			close(fd);
			return 0;
		}
	}
	if (fd >= 0) {
		n = (int)read(fd, key, JOURNAL_HASH_KEY_LEN);
		close(fd);
	}
	return n == JOURNAL_HASH_KEY_LEN ? 0 : -1;
}

static bool split_host(const char *spec, int i, struct hostlink_host *h)
{
	const char *colon = strrchr(spec, ':');

	if (!spec[0] || !colon)
		return false;
	snprintf(link_names.host[i], sizeof(link_names.host[i]), "%.*s", (int)(colon - spec), spec);
	snprintf(link_names.port[i], sizeof(link_names.port[i]), "%s", colon + 1);
	h->host = link_names.host[i];
	h->port = link_names.port[i];
	return true;
}

static int open_link(struct paycardd *d)
{
	const struct host_config *h = &d->cfg.host;
	struct hostlink_config lc = {
		.tls = h->tls,
		.ca_file = h->ca_file[0] ? h->ca_file : NULL,
		.cert_file = h->cert_file[0] ? h->cert_file : NULL,
		.key_file = h->key_file[0] ? h->key_file : NULL,
		.server_name = h->server_name[0] ? h->server_name : NULL,
		.connect_timeout_ms = (int)h->connect_timeout_ms,
		.io_timeout_ms = (int)h->io_timeout_ms,
	};
	enum hostlink_err err;

	split_host(h->primary, 0, &lc.hosts[0]);
	split_host(h->backup, 1, &lc.hosts[1]);
	err = hostlink_new(&lc, &d->hostlink);
	if (err != HL_OK) {
		snprintf(d->engine_state, sizeof(d->engine_state), "host link: %s",
			 hostlink_strerror(err));
		return -1;
	}
	return 0;
}

/* [keys] pin_key = dukpt needs TDES DUKPT state in the store (the host
 * dialect carries a 10-byte KSN in 62: no AES DUKPT). */
static int check_dukpt_state(struct paycardd *d)
{
	enum pcc_key_usage usage;
	enum pcc_alg alg;

	if (!d->cfg.engine.pin_dukpt)
		return 0;
	if (pcc_keystore_info(d->keystore, TXN_KEY_DUKPT, &usage, &alg, NULL) == PCC_OK &&
	    usage == PCC_USAGE_DUKPT && alg == PCC_ALG_TDES)
		return 0;
	snprintf(d->engine_state, sizeof(d->engine_state),
		 "pin_key = dukpt, but the key store holds no TDES DUKPT state named %s "
		 "(load an initial key and KSN first)", TXN_KEY_DUKPT);
	return -1;
}

static int open_keystore(struct paycardd *d)
{
	char store[CONFIG_PATH_LEN + 16], skey[CONFIG_PATH_LEN + 16];
	enum pcc_status st;

	snprintf(store, sizeof(store), "%s", d->cfg.engine.keystore);
	snprintf(skey, sizeof(skey), "%s", d->cfg.engine.storage_key);
	if (!store[0])
		snprintf(store, sizeof(store), "%s/keystore", d->cfg.state_dir);
	if (!skey[0])
		snprintf(skey, sizeof(skey), "%s/storage.key", d->cfg.state_dir);
	st = pcc_keystore_open(store, skey, &d->keystore);
	if (st != PCC_OK) {
		snprintf(d->engine_state, sizeof(d->engine_state), "key store %s: %s", store,
			 pcc_strerror(st));
		return -1;
	}
	if (pcc_keystore_info(d->keystore, TXN_KEY_MASTER, NULL, NULL, NULL) != PCC_OK) {
		snprintf(d->engine_state, sizeof(d->engine_state),
			 "the key store holds no master key named %s", TXN_KEY_MASTER);
		return -1;
	}
	return check_dukpt_state(d);
}

#define DAY_USEC	(24ULL * 3600 * 1000000)

/*
 * The engine's background work (sign-in at start, daily and before a
 * retry; the pending reversals) runs as jobs in the event loop.  None
 * starts while the link is busy (a sale, another job): the next timer
 * tick or transaction does it.
 */
static void flush_done(struct engine_job *job)
{
	int left = txn_task_left(job->task);

	if (left > 0)
		log_warning("%d reversal(s) still pending", left);
	events_terminal_changed(job->d, "HostReachability", NULL);
}

static int flush_start(struct engine_job *job)
{
	return txn_flush_start(job->d->engine, &job->task);
}

void engine_flush_reversals(struct paycardd *d)
{
	struct engine_job *job;

	if (!d->engine || txn_engine_busy(d->engine))
		return;
	job = engine_job_new(d, flush_start, flush_done);
	if (job)
		engine_job_run(job);
}

static void sign_in_done(struct engine_job *job)
{
	log_msg(job->res.outcome == TXN_APPROVED ? LOG_INFO : LOG_WARNING,
		"automatic sign-in: %s", job->res.message);
	/* a crash's reversals wait for the working keys */
	engine_flush_reversals(job->d);
}

int engine_sign_in_start(struct engine_job *job)
{
	return txn_sign_in_start(job->d->engine, &job->res, &job->task);
}

static void sign_in_now(struct paycardd *d)
{
	struct engine_job *job;

	if (txn_engine_busy(d->engine))
		return;
	job = engine_job_new(d, engine_sign_in_start, sign_in_done);
	if (job)
		engine_job_run(job);
}

int engine_sign_out_start(struct engine_job *job)
{
	return txn_sign_out_start(job->d->engine, &job->res, &job->task);
}

int engine_settle_start(struct engine_job *job)
{
	return txn_settle_start(job->d->engine, &job->settlement, &job->res, &job->task);
}

static void sign_out_done(struct engine_job *job)
{
	log_msg(LOG_INFO, "sign-out: %s", job->res.message);
}

void engine_sign_out(struct paycardd *d)
{
	struct engine_job *job;

	if (!d->engine)
		return;
	job = engine_job_new(d, engine_sign_out_start, sign_out_done);
	if (job)
		engine_job_run(job);
}

bool engine_catch_up(struct paycardd *d)
{
	if (!d->engine || txn_engine_busy(d->engine))
		return false;
	if (!txn_engine_signed_in(d->engine)) {
		sign_in_now(d);		/* then the flush */
		return true;
	}
	if (!txn_engine_reversals_waiting(d->engine))
		return false;
	engine_flush_reversals(d);
	return true;
}

/* After start: sign in (when configured) and send what a crash left. */
static int on_boot(sd_event_source *src, void *user)
{
	struct paycardd *d = user;

	if (d->cfg.engine.auto_sign_in)
		sign_in_now(d);
	else
		engine_flush_reversals(d);
	return 0;
}

static int rearm(sd_event_source *src, uint64_t after)
{
	uint64_t now;

	sd_event_now(sd_event_source_get_event(src), CLOCK_MONOTONIC, &now);
	return sd_event_source_set_time(src, now + after);
}

/* UnionPay terminals sign in once a day (fresh working keys). */
static int on_daily(sd_event_source *src, uint64_t usec, void *user)
{
	struct paycardd *d = user;

	if (d->cfg.engine.auto_sign_in)
		sign_in_now(d);
	return rearm(src, DAY_USEC);
}

static uint64_t retry_usec(const struct paycardd *d)
{
	return (uint64_t)d->cfg.engine.reversal_retry_s * 1000000ULL;
}

/* A reversal the host did not take (down, silent) is retried every
 * reversal_retry_s as well as before the next transaction, within
 * reversal_attempts. */
static int on_retry(sd_event_source *src, uint64_t usec, void *user)
{
	struct paycardd *d = user;
	struct journal_reversal r;

	if (journal_reversals(d->journal, &r, 1) > 0) {
		if (!txn_engine_signed_in(d->engine) && d->cfg.engine.auto_sign_in)
			sign_in_now(d);		/* then the flush */
		else
			engine_flush_reversals(d);
	}
	return rearm(src, retry_usec(d));
}

static int add_timers(struct paycardd *d)
{
	int r = sd_event_add_time_relative(d->event, &d->engine_daily, CLOCK_MONOTONIC, DAY_USEC,
					   0, on_daily, d);

	if (r >= 0)
		r = sd_event_add_time_relative(d->event, &d->engine_retry, CLOCK_MONOTONIC,
					       retry_usec(d), 0, on_retry, d);
	if (r >= 0)
		r = sd_event_source_set_enabled(d->engine_daily, SD_EVENT_ON);
	if (r >= 0)
		r = sd_event_source_set_enabled(d->engine_retry, SD_EVENT_ON);
	return r;
}

int engine_start(struct paycardd *d)
{
	uint8_t key[JOURNAL_HASH_KEY_LEN];
	struct txn_config tc;
	struct txn_hooks hooks = { on_notice, on_log, on_signed_in, d };
	int r;

	if (!d->cfg.host.primary[0]) {
		snprintf(d->engine_state, sizeof(d->engine_state),
			 "no acquirer host is configured ([host] primary)");
		return 0;
	}
	if (open_keystore(d) < 0 || open_link(d) < 0) {
		log_error("transaction engine off: %s", d->engine_state);
		daemon_notice(d, NOTICE_MAINTENANCE, "engine.off", "Transactions are off: %s",
			      d->engine_state);
		return 0;
	}
	r = journal_key(d, key);
	if (r == 0)
		d->journal = journal_open(d->db, key);
	OPENSSL_cleanse(key, sizeof(key));
	fill_config(d, &tc);
	if (!d->journal || txn_engine_new(&tc, d->journal, d->keystore, d->hostlink, &hooks,
					  &d->engine) < 0) {
		log_error("transaction journal cannot be opened");
		return -1;
	}
	/* deferred: the socket serves while the host is being reached */
	r = sd_event_add_defer(d->event, &d->engine_boot, on_boot, d);
	return r < 0 ? r : add_timers(d);
}

void engine_reconfigure(struct paycardd *d)
{
	struct txn_config tc;

	if (!d->engine)
		return;
	fill_config(d, &tc);
	txn_engine_set_config(d->engine, &tc);
}

void engine_stop(struct paycardd *d)
{
	engine_jobs_free(d);
	link_queue_free(d);
	sd_event_source_disable_unref(d->engine_boot);
	sd_event_source_disable_unref(d->engine_daily);
	sd_event_source_disable_unref(d->engine_retry);
	txn_engine_free(d->engine);
	journal_close(d->journal);
	hostlink_free(d->hostlink);
	pcc_keystore_close(d->keystore);
	d->engine = NULL;
	d->journal = NULL;
	d->hostlink = NULL;
	d->keystore = NULL;
}
