// SPDX-License-Identifier: MIT
/* A new configuration applied to every layer (SIGHUP, the Reload method). */
#include "paycardd/bus/reload.h"

#include "paycardd/daemon.h"
#include "paycardd/engine/engine_setup.h"
#include "paycardd/log.h"

int reload_apply(struct paycardd *d, char *err, size_t err_len)
{
	struct paycardd_config fresh;
	int r;

	config_set_defaults(&fresh);
	r = config_parse_file(&fresh, d->config_path, err, err_len);
	if (r == -1) {
		log_error("reload refused: %s", err);
		return -1;
	}
	config_apply_reloadable(&d->cfg, &fresh);
	engine_reconfigure(d);
	if (d->cli_log_level >= 0)
		d->cfg.log_level = d->cli_log_level;
	log_set_level(d->cfg.log_level);
	notices_set_policy(d->notices, &d->cfg.notices);
	events_terminal_changed(d, "TerminalId", "MerchantId", "MerchantName", "MarketingMuted",
				NULL);
	log_info("configuration reloaded from %s", d->config_path);
	return 0;
}
