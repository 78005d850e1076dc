// SPDX-License-Identifier: MIT
/* Host link: configuration, primary/backup failover, length-prefixed
 * frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostlink/internal.h"

#define DEFAULT_CONNECT_MS	10000
#define DEFAULT_IO_MS		30000
#define DEFAULT_MAX_FRAME	8192

struct hostlink {
	struct hostlink_config cfg;
	SSL_CTX *tls;
	struct conn conn;
	int current;
	struct hostlink_attempt attempts[HOSTLINK_HOSTS];
	size_t n_attempts;
	char detail[DETAIL_MAX];
};

enum hostlink_err hostlink_new(const struct hostlink_config *cfg,
			       struct hostlink **out)
{
	struct hostlink *hl;

	if (!cfg->hosts[0].host || !cfg->hosts[0].port)
		return HL_ERR_CONFIG;
	hl = calloc(1, sizeof(*hl));
	if (!hl)
		return HL_ERR_IO;
	hl->cfg = *cfg;
	if (!hl->cfg.connect_timeout_ms)
		hl->cfg.connect_timeout_ms = DEFAULT_CONNECT_MS;
	if (!hl->cfg.io_timeout_ms)
		hl->cfg.io_timeout_ms = DEFAULT_IO_MS;
	if (!hl->cfg.max_frame)
		hl->cfg.max_frame = DEFAULT_MAX_FRAME;
	hl->conn.fd = -1;
	hl->current = -1;
	if (cfg->tls) {
		hl->tls = tls_context_new(cfg, hl->detail);
		if (!hl->tls) {
			free(hl);
			return HL_ERR_CONFIG;
		}
	}
	*out = hl;
	return HL_OK;
}

void hostlink_free(struct hostlink *hl)
{
	if (!hl)
		return;
	hostlink_disconnect(hl);
	SSL_CTX_free(hl->tls);
	free(hl);
}

void hostlink_disconnect(struct hostlink *hl)
{
	conn_close(&hl->conn);
	hl->current = -1;
}

bool hostlink_is_connected(const struct hostlink *hl)
{
	return hl->current >= 0;
}

int hostlink_current_host(const struct hostlink *hl)
{
	return hl->current;
}

const struct hostlink_attempt *hostlink_attempts(const struct hostlink *hl,
						 size_t *count)
{
	*count = hl->n_attempts;
	return hl->attempts;
}

const char *hostlink_detail(const struct hostlink *hl)
{
	return hl->detail;
}

static enum hostlink_err connect_host(struct hostlink *hl, int i)
{
	const struct hostlink_host *h = &hl->cfg.hosts[i];
	int64_t deadline = now_ms() + hl->cfg.connect_timeout_ms;
	enum hostlink_err err;

	err = tcp_connect(h->host, h->port, deadline, &hl->conn.fd, hl->detail);
	if (err || !hl->tls)
		return err;
	err = tls_handshake(hl->tls, hl->conn.fd,
			    hl->cfg.server_name ? hl->cfg.server_name : h->host,
			    deadline, &hl->conn.ssl, hl->detail);
	if (err)
		conn_close(&hl->conn);
	return err;
}

enum hostlink_err hostlink_connect(struct hostlink *hl)
{
	enum hostlink_err err = HL_ERR_CONFIG;

	hostlink_disconnect(hl);
	hl->n_attempts = 0;
	for (int i = 0; i < HOSTLINK_HOSTS; i++) {
		if (!hl->cfg.hosts[i].host || !hl->cfg.hosts[i].port)
			continue;
		err = connect_host(hl, i);
		hl->attempts[hl->n_attempts++] = (struct hostlink_attempt){ i, err };
		if (err == HL_OK) {
			hl->current = i;
			hl->detail[0] = '\0';
			return HL_OK;
		}
	}
	return err;
}

static enum hostlink_err fail(struct hostlink *hl, enum hostlink_err err)
{
	hostlink_disconnect(hl);
	return err;
}

enum hostlink_err hostlink_send(struct hostlink *hl, const uint8_t *frame,
				size_t len)
{
	if (!hostlink_is_connected(hl))
		return HL_ERR_NOT_CONNECTED;
	if (len < 2 || ((size_t)frame[0] << 8 | frame[1]) != len - 2)
		return HL_ERR_BAD_FRAME;	/* nothing sent: link still usable */
	if (len > hl->cfg.max_frame)
		return HL_ERR_FRAME_TOO_LONG;
	enum hostlink_err err = conn_write_all(&hl->conn, frame, len,
					       now_ms() + hl->cfg.io_timeout_ms,
					       hl->detail);
	return err ? fail(hl, err) : HL_OK;
}

enum hostlink_err hostlink_recv_timeout(struct hostlink *hl, uint8_t *buf,
					size_t size, size_t *len,
					int timeout_ms)
{
	int64_t deadline = now_ms() + timeout_ms;
	enum hostlink_err err;
	size_t body;

	if (!hostlink_is_connected(hl))
		return HL_ERR_NOT_CONNECTED;
	if (size < 2)
		return HL_ERR_FRAME_TOO_LONG;
	err = conn_read_exact(&hl->conn, buf, 2, deadline, true, hl->detail);
	if (err)
		return fail(hl, err);
	body = (size_t)buf[0] << 8 | buf[1];
	if (body + 2 > size || body + 2 > hl->cfg.max_frame) {
		snprintf(hl->detail, DETAIL_MAX, "frame announces %zu bytes", body);
		return fail(hl, HL_ERR_FRAME_TOO_LONG);
	}
	err = conn_read_exact(&hl->conn, buf + 2, body, deadline, false, hl->detail);
	if (err)
		return fail(hl, err);
	*len = body + 2;
	return HL_OK;
}

enum hostlink_err hostlink_recv(struct hostlink *hl, uint8_t *buf,
				size_t size, size_t *len)
{
	return hostlink_recv_timeout(hl, buf, size, len, hl->cfg.io_timeout_ms);
}
