/* SPDX-License-Identifier: MIT */
/* paycardd.conf: INI file parsed with libinih.  Every unknown section or key
 * and every bad value is an error reported as "file:line: message". */
#ifndef PAYCARDD_CONFIG_H
#define PAYCARDD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "paycardd/notice_class.h"
#include "paycardd/roles.h"
#include "txn/fees.h"

#define CONFIG_DEFAULT_PATH	"/etc/paycard/paycardd.conf"
#define CONFIG_PATH_LEN		256
#define CONFIG_SOCKET_LEN	108	/* sun_path */
#define CONFIG_FIRMWARE_RULES	16
#define CONFIG_ERR_LEN		512

enum system_bus_mode { SYSTEM_BUS_AUTO, SYSTEM_BUS_YES, SYSTEM_BUS_NO };
struct reader_source;

struct limits {
	unsigned max_connections;
	unsigned max_message_size;	/* bytes */
	unsigned max_queued_messages;	/* per client, outgoing */
	unsigned idle_timeout_s;
	unsigned auth_timeout_s;	/* connect -> authenticated */
};

struct firmware_rule {
	char model[32];
	char min_version[32];
};

/* [host]: the acquirer (the engine runs only when primary is set). */
struct host_config {
	char primary[128];		/* HOST:PORT */
	char backup[128];
	bool tls;
	char ca_file[CONFIG_PATH_LEN];
	char cert_file[CONFIG_PATH_LEN];
	char key_file[CONFIG_PATH_LEN];
	char server_name[128];
	unsigned connect_timeout_ms;
	unsigned io_timeout_ms;
};

/* The transaction engine: [terminal] extras, [keys], [fees]. */
struct engine_config {
	char merchant_name[41];
	char operator_id[4];
	char netcode[4];		/* sign-in 60.3: 001, 003, 004 */
	bool auto_sign_in;
	unsigned reversal_attempts;
	unsigned pin_timeout_s;
	unsigned reversal_retry_s;	/* pending reversals retried this often */
	bool chip_fallback;		/* swipe a chip card after its chip failed */
	bool pin_bypass;		/* Enter with no digits skips the PIN where
					 * the card allows it */
	char keystore[CONFIG_PATH_LEN];	/* empty: state_dir/keystore */
	char storage_key[CONFIG_PATH_LEN];	/* empty: state_dir/storage.key */
	char ca_keys[CONFIG_PATH_LEN];	/* EMV CA public keys; empty: none */
	bool pin_dukpt;			/* [keys] pin_key = dukpt: PIN blocks under
					 * the store's TDES DUKPT state (needs a
					 * restart); session: the PIK */
	struct fee_table fees;
};

struct paycardd_config {
	int log_level;			/* LOG_* */
	char socket_path[CONFIG_SOCKET_LEN];
	unsigned socket_mode;
	char state_dir[CONFIG_PATH_LEN];
	char runtime_dir[CONFIG_PATH_LEN];
	char localedir[CONFIG_PATH_LEN];
	enum system_bus_mode system_bus;
	struct limits limits;
	struct role_table roles;
	char terminal_id[9];		/* ISO 8583 field 41: ans 8 */
	char merchant_id[16];		/* field 42: ans 15 */
	/* [readers] backend: NULL = kernel (udev finds the driver's readers,
	 * or libusb's); else one of this binary's reader_sources */
	const struct reader_source *reader_source;
	char source_control[CONFIG_SOCKET_LEN];	/* empty: the source's default */
	bool module_autoload;
	bool usb_fallback;		/* libusb transport when the module is missing */
	struct firmware_rule firmware[CONFIG_FIRMWARE_RULES];
	size_t n_firmware;
	struct notice_policy notices;
	struct host_config host;
	struct engine_config engine;
};

void config_set_defaults(struct paycardd_config *c);

/* Parse @text (named @name in messages) over the current values of @c.
 * Returns 0, or -1 with "name:line: message" in @err. */
int config_parse_string(struct paycardd_config *c, const char *name,
			const char *text, char *err, size_t err_len);

/* Same for a file.  A missing file returns -2 (callers decide whether the
 * default path may be absent). */
int config_parse_file(struct paycardd_config *c, const char *path,
		      char *err, size_t err_len);

/* Copy what a SIGHUP may change (log level, limits, roles, terminal IDs,
 * firmware rules, notice policy; fees, merchant name, operator, reversal
 * attempts and retry interval, PIN timeout) from @from into @to. */
void config_apply_reloadable(struct paycardd_config *to, const struct paycardd_config *from);

/* "1.10.2" vs "1.9": numeric per dot-separated component; <0, 0, >0. */
int firmware_version_compare(const char *a, const char *b);

/* The minimum firmware for @model, or NULL when the config sets none. */
const char *config_firmware_minimum(const struct paycardd_config *c, const char *model);

#endif
