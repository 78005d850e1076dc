// SPDX-License-Identifier: GPL-2.0
/*
 * paycard command path: one command in flight per reader, matched to its
 * response by sequence number and code; timeouts, signals and userspace
 * aborts send ABORT to the reader so it stops working for nobody.  Also the
 * registration handshake (HELLO version negotiation, GET_INFO).
 */
#include <linux/ctype.h>
#include <linux/jiffies.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "paycard_priv.h"

/* Encode into tx_buf and hand it to the transport, unless it is gone. */
static int paycard_send_command(struct paycard_device *pd, u8 code, u16 seq,
				const void *payload, u32 len)
{
	int n, ret;

	n = pcp_frame_encode(pd->tx_buf, PCP_MAX_FRAME, PCP_TYPE_COMMAND, code,
			     seq, 0, payload, len);
	if (n < 0)
		return -EMSGSIZE;

	down_read(&pd->ops_sem);
	ret = pd->ops ? pd->ops->send(pd, pd->tx_buf, n) : -ENODEV;
	up_read(&pd->ops_sem);
	/* The frame may carry a C-APDU with PIN block or card data. */
	memzero_explicit(pd->tx_buf, n);

	if (!ret) {
		spin_lock_irq(&pd->lock);
		pd->stats.frames_tx++;
		spin_unlock_irq(&pd->lock);
	}
	return ret;
}

/* Mark a command in flight; its response may arrive before send returns. */
static int paycard_cmd_start(struct paycard_device *pd, u8 code)
{
	struct paycard_cmd *cmd = &pd->cmd;
	int ret = 0;

	spin_lock_irq(&pd->lock);
	if (pd->dead) {
		ret = -ENODEV;
	} else {
		/* never 0: the protocol reserves it */
		pd->next_seq = pd->next_seq == U16_MAX ? 1 : pd->next_seq + 1;
		cmd->seq = pd->next_seq;
		cmd->code = code;
		cmd->rsp_len = 0;
		cmd->state = PAYCARD_CMD_PENDING;
		reinit_completion(&cmd->done);
	}
	spin_unlock_irq(&pd->lock);
	return ret;
}

static long paycard_cmd_wait(struct paycard_device *pd, u8 code,
			     unsigned int timeout_ms)
{
	unsigned long timeout = msecs_to_jiffies(timeout_ms);

	/* ABORT runs after a signal too: it must not be cut short by one. */
	if (code == PCP_CMD_ABORT)
		return wait_for_completion_timeout(&pd->cmd.done, timeout);
	return wait_for_completion_interruptible_timeout(&pd->cmd.done,
							 timeout);
}

/**
 * paycard_transact() - send a command and wait for its response
 * @pd: the reader; caller holds pd->cmd_lock
 * @code: PCP_CMD_*
 * @payload: command payload (@len bytes)
 * @len: payload length
 * @timeout_ms: how long to wait for the response
 * @rsp_len: set to the response payload length (payload in pd->rsp_buf,
 *	valid until pd->cmd_lock is released)
 *
 * Return: 0, the errno of the reader's status, -ETIMEDOUT, -EINTR,
 * -ECANCELED (PAYCARD_IOC_ABORT) or -ENODEV (unplugged).
 */
int paycard_transact(struct paycard_device *pd, u8 code, const void *payload,
		     u32 len, unsigned int timeout_ms, u32 *rsp_len)
{
	struct paycard_cmd *cmd = &pd->cmd;
	enum paycard_cmd_state state;
	u16 status;
	long left;
	int ret;

	lockdep_assert_held(&pd->cmd_lock);
	*rsp_len = 0;
	ret = paycard_cmd_start(pd, code);
	if (ret)
		return ret;

	ret = paycard_send_command(pd, code, cmd->seq, payload, len);
	left = ret ? 0 : paycard_cmd_wait(pd, code, timeout_ms);

	spin_lock_irq(&pd->lock);
	state = cmd->state;
	status = cmd->status;
	*rsp_len = cmd->rsp_len;
	if (state == PAYCARD_CMD_PENDING || state == PAYCARD_CMD_CANCELLED)
		cmd->stale_seq = cmd->seq;
	if (!ret && state == PAYCARD_CMD_PENDING && left == 0)
		pd->stats.timeouts++;
	cmd->state = PAYCARD_CMD_IDLE;
	spin_unlock_irq(&pd->lock);

	if (state == PAYCARD_CMD_GONE)
		return -ENODEV;
	if (ret)
		return ret;
	if (state == PAYCARD_CMD_DONE)
		return pcp_status_errno(status);

	ret = state == PAYCARD_CMD_CANCELLED ? -ECANCELED :
	      left < 0 ? -EINTR : -ETIMEDOUT;
	if (code != PCP_CMD_ABORT)
		paycard_transact(pd, PCP_CMD_ABORT, NULL, 0,
				 PAYCARD_TIMEOUT_ABORT, rsp_len);
	*rsp_len = 0;
	return ret;
}

/**
 * paycard_abort() - PAYCARD_IOC_ABORT
 * @pd: the reader
 *
 * A command in flight is cancelled at once (its caller sends ABORT to the
 * reader and returns -ECANCELED); with none in flight ABORT goes to the
 * reader directly, ending a PIN entry there.
 */
/*
 * Cancel the command in flight, if any: its caller sends ABORT to the
 * reader and returns -ECANCELED.  Returns whether there was one.
 */
bool paycard_cancel_pending(struct paycard_device *pd)
{
	bool cancelled = false;

	spin_lock_irq(&pd->lock);
	if (pd->cmd.state == PAYCARD_CMD_PENDING) {
		pd->cmd.state = PAYCARD_CMD_CANCELLED;
		complete(&pd->cmd.done);
		cancelled = true;
	}
	spin_unlock_irq(&pd->lock);
	return cancelled;
}

int paycard_abort(struct paycard_device *pd)
{
	u32 rsp_len;
	int ret;

	if (paycard_cancel_pending(pd))
		return 0;

	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_transact(pd, PCP_CMD_ABORT, NULL, 0,
			       PAYCARD_TIMEOUT_ABORT, &rsp_len);
	paycard_cmd_unlock(pd);
	return ret;
}

/**
 * paycard_cmd_lock() - become the one caller with a command in flight
 * @pd: the reader
 *
 * Return: 0 with pd->cmd_lock held, -EINTR on a signal, -ENODEV after
 * unplug, -EAGAIN while the transport is suspended.
 */
int paycard_cmd_lock(struct paycard_device *pd)
{
	if (mutex_lock_interruptible(&pd->cmd_lock))
		return -EINTR;
	if (READ_ONCE(pd->dead)) {
		mutex_unlock(&pd->cmd_lock);
		return -ENODEV;
	}
	if (pd->suspended) {
		mutex_unlock(&pd->cmd_lock);
		return -EAGAIN;
	}
	return 0;
}

/* Wipe the last response (R-APDU, ATR) and let the next command go. */
void paycard_cmd_unlock(struct paycard_device *pd)
{
	memzero_explicit(pd->rsp_buf, pd->cmd.rsp_len);
	pd->cmd.rsp_len = 0;
	mutex_unlock(&pd->cmd_lock);
}

/* Copy a NUL-padded wire string, replacing what the document forbids. */
static void paycard_copy_ident(char *dst, const u8 *src, bool serial)
{
	int i;

	for (i = 0; i < PCP_INFO_STR_LEN - 1 && src[i]; i++) {
		char c = src[i];

		/*
		 * The serial names a udev SYMLINK: a leading '.' would let
		 * "." and ".." name the directory or its parent.
		 */
		if (serial)
			dst[i] = isalnum(c) || (c == '.' && i) || c == '_' ||
				 c == '-' ? c : '_';
		else
			dst[i] = c >= 0x20 && c < 0x7f ? c : '?';
	}
	dst[i] = '\0';
}

static int paycard_hello(struct paycard_device *pd)
{
	static const u8 hello[PCP_HELLO_LEN] = {
		PCP_VERSION_MAJOR, 0, PCP_VERSION_MAJOR, PCP_VERSION_MINOR,
	};
	u32 len;
	int ret;

	ret = paycard_transact(pd, PCP_CMD_HELLO, hello, sizeof(hello),
			       PAYCARD_TIMEOUT_SHORT, &len);
	if (ret == -EOPNOTSUPP)
		return -EPROTONOSUPPORT;	/* no common version */
	if (ret)
		return ret;
	if (len < 2)
		return -EPROTO;
	/* The reader must pick within our range: major 1, minor 0..ours. */
	if (pd->rsp_buf[0] != PCP_VERSION_MAJOR ||
	    pd->rsp_buf[1] > PCP_VERSION_MINOR)
		return -EPROTO;
	pd->info.proto_major = pd->rsp_buf[0];
	pd->info.proto_minor = pd->rsp_buf[1];
	return 0;
}

static int paycard_get_info(struct paycard_device *pd)
{
	struct paycard_info *info = &pd->info;
	const u8 *p = pd->rsp_buf;
	u32 len, max_payload;
	int ret;

	ret = paycard_transact(pd, PCP_CMD_GET_INFO, NULL, 0,
			       PAYCARD_TIMEOUT_SHORT, &len);
	if (ret)
		return ret;
	/* Newer minor versions append fields: longer is fine, shorter not. */
	if (len < PCP_INFO_LEN)
		return -EPROTO;

	max_payload = pcp_get_le32(p + 8);
	if (max_payload < PCP_INFO_LEN)
		return -EPROTO;
	pd->max_payload = min_t(u32, max_payload, PCP_MAX_PAYLOAD);
	info->caps = pcp_get_le32(p + 4);
	info->max_apdu = min(pcp_get_le32(p + 12), pd->max_payload);
	paycard_copy_ident(info->model, p + 16, false);
	paycard_copy_ident(info->serial, p + 48, true);
	paycard_copy_ident(info->firmware, p + 80, false);
	pd->keys = p[112];
	pd->leds = p[113];
	info->abi_version = PAYCARD_ABI_VERSION;
	strscpy(info->transport, pd->transport, sizeof(info->transport));

	/*
	 * From now on a header announcing more than the reader's own limit
	 * is corrupt: reject it at once rather than wait for its bytes.
	 */
	spin_lock_irq(&pd->lock);
	pd->rx_asm.max_payload = max_t(u32, pd->max_payload,
				       PAYCARD_MIN_PAYLOAD);
	spin_unlock_irq(&pd->lock);
	return 0;
}

/* HELLO, then GET_INFO: the identity every later call relies on. */
int paycard_handshake(struct paycard_device *pd)
{
	int ret;

	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_hello(pd);
	if (!ret)
		ret = paycard_get_info(pd);
	paycard_cmd_unlock(pd);
	return ret;
}
