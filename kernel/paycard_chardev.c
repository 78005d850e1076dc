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

/*
 * The next opener gets a quiet reader: the card powered down (which also
 * ends its selected application), then PIN entry off.  Best effort: a
 * reader that is gone or does not answer is left as it is, and a later
 * close tries again.
 */
static void paycard_quiesce(struct paycard_device *pd)
{
	static const u8 keypad_off[PCP_KEYPAD_LEN] = { PCP_KEYPAD_OFF };
	u32 len;

	mutex_lock(&pd->cmd_lock);
	if (READ_ONCE(pd->dead) || pd->suspended)
		goto out;
	if (pd->chip_on &&
	    !paycard_transact(pd, PCP_CMD_CHIP_POWER_OFF, NULL, 0,
			      PAYCARD_TIMEOUT_POWER, &len))
		pd->chip_on = false;
	if (pd->keypad_on &&
	    !paycard_transact(pd, PCP_CMD_KEYPAD_MODE, keypad_off,
			      sizeof(keypad_off), PAYCARD_TIMEOUT_SHORT, &len))
		pd->keypad_on = false;
out:
	paycard_cmd_unlock(pd);
}

static int paycard_release(struct inode *inode, struct file *file)
{
	struct paycard_device *pd = file->private_data;

	paycard_quiesce(pd);
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
	/* events queued before an unplug are still read (hidraw_poll()) */
	if (pd->event_count)
		mask = EPOLLIN | EPOLLRDNORM;
	if (pd->dead)
		mask |= EPOLLHUP | EPOLLERR;
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
	if (!ret)
		pd->chip_on = cp.on;
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

/*
 * The response is copied out of the shared response buffer under cmd_lock
 * and handed to the caller after it: a user page that faults slowly (or
 * never, with userfaultfd) must not hold up every other command.
 */
static int paycard_apdu_exchange(struct paycard_device *pd,
				 struct paycard_apdu *ap, const u8 *capdu)
{
	unsigned int timeout = ap->timeout_ms ?: PAYCARD_TIMEOUT_APDU;
	u8 *rapdu = NULL;
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
		else
			rapdu = kmemdup(pd->rsp_buf, len, GFP_KERNEL);
		if (!ret && !rapdu)
			ret = -ENOMEM;
	}
	paycard_cmd_unlock(pd);
	if (rapdu) {
		if (copy_to_user(u64_to_user_ptr(ap->rsp_ptr), rapdu, len))
			ret = -EFAULT;
		kfree_sensitive(rapdu);
	}
	return ret;
}

/*
 * The largest R-APDU a short C-APDU can get: Ne data bytes and SW1 SW2, Ne
 * from its Le byte (ISO/IEC 7816-4 section 5.1: 0 stands for 256); case 1
 * and 3 commands (no Le) get SW1 SW2 alone.  EMV's commands, GENERATE AC
 * among them, are short.  0 for extended or malformed encodings: there
 * Le 0000 (65536) is the usual "whatever comes", so only the answer tells.
 */
static u32 paycard_apdu_rsp_max(const u8 *capdu, u32 len)
{
	if (len == 4)					/* case 1 */
		return 2;
	if (len == 5)					/* case 2S */
		return (capdu[4] ?: 256) + 2;
	if (!capdu[4])					/* extended */
		return 0;
	if (len == 5 + capdu[4])			/* case 3S */
		return 2;
	if (len == 6 + capdu[4])			/* case 4S */
		return (capdu[len - 1] ?: 256) + 2;
	return 0;
}

static int paycard_ioc_apdu(struct paycard_device *pd, void __user *argp)
{
	struct paycard_apdu ap;
	u32 rsp_max;
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
	/*
	 * A buffer too small for the answer the command asks for is refused
	 * before the card runs it (GENERATE AC would already have bumped the
	 * ATC): rsp_len gives the size needed.
	 */
	rsp_max = paycard_apdu_rsp_max(capdu, ap.cmd_len);
	if (rsp_max > ap.rsp_size) {
		ap.rsp_len = rsp_max;
		ret = -EMSGSIZE;
	} else {
		ap.rsp_len = 0;
		ret = paycard_apdu_exchange(pd, &ap, capdu);
	}
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
	if (!ret)
		pd->keypad_on = kp.mode != PAYCARD_KEYPAD_OFF;
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
	if (!ret) {
		pd->chip_on = false;
		pd->keypad_on = false;
		/*
		 * The reader's event counter restarts at any value after a
		 * reset (docs/reader-protocol.md section 4): no gap to flag.
		 */
		spin_lock_irq(&pd->lock);
		pd->have_evt_seq = false;
		spin_unlock_irq(&pd->lock);
	}
	paycard_cmd_unlock(pd);
	return ret;
}

/*
 * Acting on the reader (card power, APDUs, keypad, UI, abort, reset) needs
 * a file opened for writing; reading its information and counters does
 * not.  -EBADF as block/ioctl.c answers for its writing ioctls.
 */
static bool paycard_ioctl_allowed(struct file *file, unsigned int cmd)
{
	return cmd == PAYCARD_IOC_GET_INFO || cmd == PAYCARD_IOC_GET_STATS ||
	       (file->f_mode & FMODE_WRITE);
}

static long paycard_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct paycard_device *pd = file->private_data;
	void __user *argp = (void __user *)arg;

	if (READ_ONCE(pd->dead))
		return -ENODEV;
	if (!paycard_ioctl_allowed(file, cmd))
		return -EBADF;

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
