// SPDX-License-Identifier: GPL-2.0
/*
 * paycard character device: exclusive open, event read/poll and the ioctls
 * of include/uapi/linux/paycard.h.  Argument checking happens here, before
 * anything reaches the reader.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "paycard_priv.h"

static int paycard_open(struct inode *inode, struct file *file)
{
	struct paycard_device *pd = container_of(inode->i_cdev,
						 struct paycard_device, cdev);
	int ret = 0;

	spin_lock_irq(&pd->lock);
	if (pd->dead)
		ret = -ENODEV;
	else if (pd->open)
		ret = -EBUSY;	/* one owner: the daemon */
	else
		pd->open = true;
	spin_unlock_irq(&pd->lock);
	if (ret)
		return ret;

	get_device(&pd->dev);
	file->private_data = pd;
	/*
	 * stream_open() clears FMODE_LSEEK, so lseek() fails with -ESPIPE
	 * without an .llseek: 6.1's vfs_llseek() then falls back to
	 * no_llseek, and 6.12 (which removed no_llseek) checks the flag.
	 */
	return stream_open(inode, file);
}

static int paycard_release(struct inode *inode, struct file *file)
{
	struct paycard_device *pd = file->private_data;

	spin_lock_irq(&pd->lock);
	pd->open = false;
	/* Unread swipes and key presses must not wait for the next owner. */
	paycard_events_flush(pd);
	spin_unlock_irq(&pd->lock);
	put_device(&pd->dev);
	return 0;
}

static bool paycard_readable(struct paycard_device *pd)
{
	return READ_ONCE(pd->dead) || READ_ONCE(pd->event_count);
}

static ssize_t paycard_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct paycard_device *pd = file->private_data;
	struct paycard_event ev;
	size_t done = 0;
	int ret;

	if (count < sizeof(ev))
		return -EINVAL;

	while (!paycard_event_pop(pd, &ev)) {
		if (READ_ONCE(pd->dead))
			return -ENODEV;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(pd->read_wait,
					       paycard_readable(pd));
		if (ret)
			return ret;
	}

	do {
		ret = copy_to_user(buf + done, &ev, sizeof(ev));
		memzero_explicit(&ev, sizeof(ev));
		if (ret)
			return done ? done : -EFAULT;
		done += sizeof(ev);
	} while (count - done >= sizeof(ev) && paycard_event_pop(pd, &ev));
	return done;
}

static __poll_t paycard_poll(struct file *file, poll_table *wait)
{
	struct paycard_device *pd = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &pd->read_wait, wait);
	spin_lock_irq(&pd->lock);
	if (pd->dead)
		mask = EPOLLHUP | EPOLLERR;
	else if (pd->event_count)
		mask = EPOLLIN | EPOLLRDNORM;
	spin_unlock_irq(&pd->lock);
	return mask;
}

static int paycard_ioc_get_info(struct paycard_device *pd, void __user *argp)
{
	/* Fixed after registration: no lock needed to read it. */
	if (copy_to_user(argp, &pd->info, sizeof(pd->info)))
		return -EFAULT;
	return 0;
}

static int paycard_ioc_chip_power(struct paycard_device *pd,
				  void __user *argp)
{
	struct paycard_chip_power cp;
	u32 len;
	int ret;

	if (copy_from_user(&cp, argp, sizeof(cp)))
		return -EFAULT;
	if (cp.on > 1)
		return -EINVAL;
	if (!(pd->info.caps & PAYCARD_CAP_ICC))
		return -EOPNOTSUPP;

	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_transact(pd, cp.on ? PCP_CMD_CHIP_POWER_ON :
			       PCP_CMD_CHIP_POWER_OFF, NULL, 0,
			       PAYCARD_TIMEOUT_POWER, &len);
	memset(cp.atr, 0, sizeof(cp.atr));
	cp.atr_len = 0;
	if (!ret && cp.on) {
		/* An ATR has 2..33 bytes; anything else is not a card. */
		if (len < 2 || len > PAYCARD_ATR_MAX) {
			ret = -EIO;
		} else {
			memcpy(cp.atr, pd->rsp_buf, len);
			cp.atr_len = len;
		}
	}
	paycard_cmd_unlock(pd);
	if (ret)
		return ret;
	if (copy_to_user(argp, &cp, sizeof(cp)))
		return -EFAULT;
	return 0;
}

static int paycard_apdu_exchange(struct paycard_device *pd,
				 struct paycard_apdu *ap, const u8 *capdu)
{
	unsigned int timeout = ap->timeout_ms ?: PAYCARD_TIMEOUT_APDU;
	u32 len;
	int ret;

	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_transact(pd, PCP_CMD_APDU, capdu, ap->cmd_len, timeout,
			       &len);
	if (!ret) {
		ap->rsp_len = len;
		if (len > ap->rsp_size)
			ret = -EMSGSIZE;
		else if (copy_to_user(u64_to_user_ptr(ap->rsp_ptr),
				      pd->rsp_buf, len))
			ret = -EFAULT;
	}
	paycard_cmd_unlock(pd);
	return ret;
}

static int paycard_ioc_apdu(struct paycard_device *pd, void __user *argp)
{
	struct paycard_apdu ap;
	u8 *capdu;
	int ret;

	if (copy_from_user(&ap, argp, sizeof(ap)))
		return -EFAULT;
	if (!(pd->info.caps & PAYCARD_CAP_ICC))
		return -EOPNOTSUPP;
	/* A C-APDU has at least CLA INS P1 P2. */
	if (ap.cmd_len < 4 || ap.cmd_len > pd->info.max_apdu ||
	    ap.timeout_ms > PAYCARD_TIMEOUT_APDU_MAX)
		return -EINVAL;

	capdu = memdup_user(u64_to_user_ptr(ap.cmd_ptr), ap.cmd_len);
	if (IS_ERR(capdu))
		return PTR_ERR(capdu);
	ap.rsp_len = 0;
	ret = paycard_apdu_exchange(pd, &ap, capdu);
	kfree_sensitive(capdu);

	/* On -EMSGSIZE rsp_len tells the caller the size it needs. */
	if ((!ret || ret == -EMSGSIZE) &&
	    copy_to_user(argp, &ap, sizeof(ap)))
		return -EFAULT;
	return ret;
}

static int paycard_ioc_set_keypad(struct paycard_device *pd,
				  void __user *argp)
{
	struct paycard_keypad kp;
	u8 payload[PCP_KEYPAD_LEN] = { 0 };
	u32 len;
	int ret;

	if (copy_from_user(&kp, argp, sizeof(kp)))
		return -EFAULT;
	if (kp.reserved || kp.mode > PAYCARD_KEYPAD_PIN)
		return -EINVAL;
	if (kp.mode == PAYCARD_KEYPAD_PIN &&
	    (kp.pin_min < 4 || kp.pin_max > 12 || kp.pin_min > kp.pin_max))
		return -EINVAL;
	if ((kp.mode == PAYCARD_KEYPAD_FUNCTION &&
	     !(pd->info.caps & PAYCARD_CAP_KEYPAD)) ||
	    (kp.mode == PAYCARD_KEYPAD_PIN &&
	     !(pd->info.caps & PAYCARD_CAP_PIN_ENTRY)))
		return -EOPNOTSUPP;

	payload[0] = kp.mode;
	if (kp.mode == PAYCARD_KEYPAD_PIN) {
		payload[1] = kp.pin_min;
		payload[2] = kp.pin_max;
		payload[3] = kp.timeout_s;
	}
	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_transact(pd, PCP_CMD_KEYPAD_MODE, payload,
			       sizeof(payload), PAYCARD_TIMEOUT_SHORT, &len);
	paycard_cmd_unlock(pd);
	return ret;
}

static int paycard_ioc_ui(struct paycard_device *pd, void __user *argp)
{
	struct paycard_ui ui;
	u8 payload[PCP_UI_LEN] = { 0 };
	u32 len, all_leds;
	int ret;

	if (copy_from_user(&ui, argp, sizeof(ui)))
		return -EFAULT;
	all_leds = pd->leds >= 16 ? 0xffff : (1u << pd->leds) - 1;
	if (ui.reserved || ui.buzzer_ms > 5000 || (ui.led_mask & ~all_leds) ||
	    (ui.led_on & ~ui.led_mask))
		return -EINVAL;
	if ((ui.led_mask && !(pd->info.caps & PAYCARD_CAP_LEDS)) ||
	    (ui.buzzer_ms && !(pd->info.caps & PAYCARD_CAP_BUZZER)))
		return -EOPNOTSUPP;

	pcp_put_le16(payload, ui.led_mask);
	pcp_put_le16(payload + 2, ui.led_on);
	pcp_put_le16(payload + 4, ui.buzzer_ms);
	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_transact(pd, PCP_CMD_UI, payload, sizeof(payload),
			       PAYCARD_TIMEOUT_SHORT, &len);
	paycard_cmd_unlock(pd);
	return ret;
}

static int paycard_ioc_get_stats(struct paycard_device *pd,
				 void __user *argp)
{
	struct paycard_stats st;

	spin_lock_irq(&pd->lock);
	st = pd->stats;
	st.bad_crc += pd->rx_asm.bad_crc;
	st.bad_length += pd->rx_asm.bad_length + pd->rx_asm.truncated;
	st.bad_type += pd->rx_asm.bad_type;
	spin_unlock_irq(&pd->lock);

	if (copy_to_user(argp, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static int paycard_ioc_reset(struct paycard_device *pd)
{
	u32 len;
	int ret;

	ret = paycard_cmd_lock(pd);
	if (ret)
		return ret;
	ret = paycard_transact(pd, PCP_CMD_RESET, NULL, 0,
			       PAYCARD_TIMEOUT_POWER, &len);
	paycard_cmd_unlock(pd);
	return ret;
}

static long paycard_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct paycard_device *pd = file->private_data;
	void __user *argp = (void __user *)arg;

	if (READ_ONCE(pd->dead))
		return -ENODEV;

	switch (cmd) {
	case PAYCARD_IOC_GET_INFO:
		return paycard_ioc_get_info(pd, argp);
	case PAYCARD_IOC_CHIP_POWER:
		return paycard_ioc_chip_power(pd, argp);
	case PAYCARD_IOC_APDU:
		return paycard_ioc_apdu(pd, argp);
	case PAYCARD_IOC_SET_KEYPAD:
		return paycard_ioc_set_keypad(pd, argp);
	case PAYCARD_IOC_UI:
		return paycard_ioc_ui(pd, argp);
	case PAYCARD_IOC_ABORT:
		return paycard_abort(pd);
	case PAYCARD_IOC_GET_STATS:
		return paycard_ioc_get_stats(pd, argp);
	case PAYCARD_IOC_RESET:
		return paycard_ioc_reset(pd);
	default:
		return -ENOTTY;
	}
}

const struct file_operations paycard_fops = {
	.owner = THIS_MODULE,
	.open = paycard_open,
	.release = paycard_release,
	.read = paycard_read,
	.poll = paycard_poll,
	.unlocked_ioctl = paycard_ioctl,
	/* every ioctl struct has the same layout for 32-bit callers */
	.compat_ioctl = compat_ptr_ioctl,
};
