// SPDX-License-Identifier: GPL-2.0
/*
 * paycard USB transport: the reader's vendor-specific interface carries the
 * PCP byte stream on one bulk OUT (commands) and one bulk IN endpoint
 * (responses and events).  Modelled on drivers/usb/class/cdc-wdm.c and
 * usb-skeleton.c: IN URBs stay in flight on an anchor and feed the core;
 * commands go out on one anchored OUT URB; every URB is killed on
 * disconnect and suspend, and the IN ones resubmitted on resume.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/usb.h>
#include <linux/workqueue.h>
#include <paycard/protocol.h>

#include "paycard_core.h"

/*
 * One URB per max-size packet: a bulk IN transfer then completes on every
 * packet, so a frame whose length is a multiple of wMaxPacketSize is never
 * held back waiting for a zero-length packet the reader may not send.
 */
#define PAYCARD_USB_IN_URBS	8
/* Commands are copied through a DMA-able buffer this size at a time. */
#define PAYCARD_USB_OUT_CHUNK	4096
#define PAYCARD_USB_TX_TIMEOUT	2000	/* ms for one OUT URB */
/*
 * Bulk IN line errors (-EPROTO, -EILSEQ, -ETIME) are retried after a
 * growing delay, as usbhid does (hid_io_error(): 13, 26, 52, 104, 104...
 * ms), and the port is reset when they have gone on for a second.
 */
#define PAYCARD_USB_RETRY_FIRST_MS	13
#define PAYCARD_USB_RETRY_MAX_MS	104
#define PAYCARD_USB_RETRY_RESET_MS	1000

struct paycard_usb {
	struct usb_device *udev;
	struct usb_interface *intf;
	struct paycard_device *pd;
	unsigned int in_pipe;
	unsigned int out_pipe;
	u16 in_maxp;
	struct urb *in_urbs[PAYCARD_USB_IN_URBS];
	struct usb_anchor in_anchor;
	struct work_struct clear_halt;
	/* IN URBs back with a line error, waiting for in_retry */
	struct usb_anchor in_parked;
	struct delayed_work in_retry;
	/* Serialises the restarts of clear_halt and in_retry. */
	struct mutex in_restart;
	spinlock_t retry_lock;		/* retry_ms, retry_until */
	unsigned int retry_ms;		/* current delay; 0: no errors */
	unsigned long retry_until;	/* jiffies: then reset the port */
	struct urb *out_urb;
	struct usb_anchor out_anchor;
};

static void paycard_usb_out_complete(struct urb *urb)
{
	struct paycard_usb *pu = urb->context;

	memzero_explicit(urb->transfer_buffer, urb->transfer_buffer_length);
	/* A lost command surfaces as its response timeout in the core. */
	if (urb->status && urb->status != -ENOENT &&
	    urb->status != -ECONNRESET && urb->status != -ESHUTDOWN)
		dev_dbg(&pu->intf->dev, "bulk OUT status %d\n", urb->status);
}

/* Wait until the OUT URB is back; returns its status. */
static int paycard_usb_out_wait(struct paycard_usb *pu)
{
	if (!usb_wait_anchor_empty_timeout(&pu->out_anchor,
					   PAYCARD_USB_TX_TIMEOUT)) {
		usb_kill_anchored_urbs(&pu->out_anchor);
		return -ETIMEDOUT;
	}
	return pu->out_urb->status;
}

static int paycard_usb_out_submit(struct paycard_usb *pu, const u8 *buf,
				  size_t len, bool last)
{
	struct urb *urb = pu->out_urb;
	int ret;

	memcpy(urb->transfer_buffer, buf, len);
	urb->transfer_buffer_length = len;
	/* The end of a frame that fills its last packet gets a ZLP. */
	urb->transfer_flags = last ? URB_ZERO_PACKET : 0;
	usb_anchor_urb(urb, &pu->out_anchor);
	ret = usb_submit_urb(urb, GFP_KERNEL);
	if (ret) {
		usb_unanchor_urb(urb);
		memzero_explicit(urb->transfer_buffer, len);
	}
	return ret;
}

/*
 * The last (usually only) piece of a frame is left in flight: the response
 * proves it arrived, and not waiting for its completion saves a wake-up
 * per command.  The next send waits for it before reusing the URB.
 */
static int paycard_usb_send(struct paycard_device *pd, const u8 *buf,
			    size_t len)
{
	struct paycard_usb *pu = paycard_get_drvdata(pd);
	size_t off = 0, chunk;
	int ret;

	/*
	 * The previous frame's fate is its command's business, but a halted
	 * endpoint would swallow this one too.
	 */
	if (paycard_usb_out_wait(pu) == -EPIPE)
		usb_clear_halt(pu->udev, pu->out_pipe);
	for (;;) {
		chunk = min_t(size_t, len - off, PAYCARD_USB_OUT_CHUNK);
		ret = paycard_usb_out_submit(pu, buf + off, chunk,
					     off + chunk == len);
		off += chunk;
		if (ret || off == len)
			return ret;
		ret = paycard_usb_out_wait(pu);
		if (ret)
			return ret;
	}
}

static int paycard_usb_submit_in(struct paycard_usb *pu, struct urb *urb,
				 gfp_t gfp)
{
	int ret;

	usb_anchor_urb(urb, &pu->in_anchor);
	ret = usb_submit_urb(urb, gfp);
	if (ret)
		usb_unanchor_urb(urb);
	return ret;
}

/* Park @urb and schedule its resubmission, or reset a port that stays bad. */
static void paycard_usb_in_line_error(struct paycard_usb *pu, struct urb *urb)
{
	unsigned long flags, delay;
	bool reset;

	usb_anchor_urb(urb, &pu->in_parked);
	spin_lock_irqsave(&pu->retry_lock, flags);
	/* The URBs failing together are one burst: one step of backoff. */
	if (delayed_work_pending(&pu->in_retry)) {
		spin_unlock_irqrestore(&pu->retry_lock, flags);
		return;
	}
	if (!pu->retry_ms) {
		pu->retry_ms = PAYCARD_USB_RETRY_FIRST_MS;
		pu->retry_until = jiffies +
			msecs_to_jiffies(PAYCARD_USB_RETRY_RESET_MS);
	} else if (pu->retry_ms < PAYCARD_USB_RETRY_MAX_MS) {
		pu->retry_ms *= 2;
	}
	reset = time_after(jiffies, pu->retry_until);
	delay = msecs_to_jiffies(pu->retry_ms);
	spin_unlock_irqrestore(&pu->retry_lock, flags);

	dev_dbg(&pu->intf->dev, "bulk IN error %d, retry\n", urb->status);
	if (reset)
		usb_queue_reset_device(pu->intf);
	else
		mod_delayed_work(system_wq, &pu->in_retry, delay);
}

static void paycard_usb_in_ok(struct paycard_usb *pu)
{
	unsigned long flags;

	if (!READ_ONCE(pu->retry_ms))
		return;
	spin_lock_irqsave(&pu->retry_lock, flags);
	pu->retry_ms = 0;
	spin_unlock_irqrestore(&pu->retry_lock, flags);
}

static void paycard_usb_in_complete(struct urb *urb)
{
	struct paycard_usb *pu = urb->context;
	int ret;

	switch (urb->status) {
	case 0:
		paycard_usb_in_ok(pu);
		paycard_receive_bytes(pu->pd, urb->transfer_buffer,
				      urb->actual_length);
		memzero_explicit(urb->transfer_buffer, urb->actual_length);
		break;
	case -EPIPE:
		/* The reader halted the endpoint: clearing it may sleep. */
		schedule_work(&pu->clear_halt);
		return;
	case -ENOENT:
	case -ECONNRESET:
	case -ESHUTDOWN:
	case -ENODEV:
		return;		/* killed, or the device is gone */
	case -EPROTO:
	case -EILSEQ:
	case -ETIME:
		/* Line errors: noise, or an unplug that -ENODEV will end. */
		paycard_usb_in_line_error(pu, urb);
		return;
	default:
		/* e.g. -EOVERFLOW (babble): the data is lost, the pipe is not */
		dev_dbg(&pu->intf->dev, "bulk IN status %d\n", urb->status);
		break;
	}

	ret = paycard_usb_submit_in(pu, urb, GFP_ATOMIC);
	if (ret && ret != -EPERM && ret != -ENODEV)
		dev_err(&pu->intf->dev, "bulk IN resubmit failed: %d\n", ret);
}

static int paycard_usb_start_in(struct paycard_usb *pu, gfp_t gfp)
{
	int i, ret;

	for (i = 0; i < PAYCARD_USB_IN_URBS; i++) {
		ret = paycard_usb_submit_in(pu, pu->in_urbs[i], gfp);
		if (ret) {
			usb_kill_anchored_urbs(&pu->in_anchor);
			return ret;
		}
	}
	return 0;
}

static void paycard_usb_clear_halt(struct work_struct *work)
{
	struct paycard_usb *pu = container_of(work, struct paycard_usb,
					      clear_halt);
	int ret;

	/* Stop the other IN URBs first: clear_halt resets the toggle. */
	mutex_lock(&pu->in_restart);
	usb_kill_anchored_urbs(&pu->in_anchor);
	usb_scuttle_anchored_urbs(&pu->in_parked);
	ret = usb_clear_halt(pu->udev, pu->in_pipe);
	if (!ret)
		ret = paycard_usb_start_in(pu, GFP_KERNEL);
	mutex_unlock(&pu->in_restart);
	if (ret && ret != -EPERM && ret != -ENODEV)
		dev_err(&pu->intf->dev, "bulk IN stalled, recovery failed: %d\n",
			ret);
}

/* Resubmit the IN URBs that came back with a line error. */
static void paycard_usb_in_retry(struct work_struct *work)
{
	struct paycard_usb *pu = container_of(to_delayed_work(work),
					      struct paycard_usb, in_retry);
	struct urb *urb;
	int ret = 0;

	mutex_lock(&pu->in_restart);
	while (!ret && (urb = usb_get_from_anchor(&pu->in_parked))) {
		ret = paycard_usb_submit_in(pu, urb, GFP_KERNEL);
		usb_put_urb(urb);
	}
	mutex_unlock(&pu->in_restart);
	if (ret && ret != -EPERM && ret != -ENODEV)
		dev_err(&pu->intf->dev, "bulk IN resubmit failed: %d\n", ret);
}

static const struct paycard_transport_ops paycard_usb_ops = {
	.send = paycard_usb_send,
};

/*
 * For good (disconnect, failed probe): poisoning also makes any later
 * resubmission fail, from a completion or from a halt recovery.
 */
static void paycard_usb_stop_in(struct paycard_usb *pu)
{
	usb_poison_anchored_urbs(&pu->in_anchor);
	cancel_work_sync(&pu->clear_halt);
	cancel_delayed_work_sync(&pu->in_retry);
	usb_scuttle_anchored_urbs(&pu->in_parked);
}

/*
 * For suspend: killing leaves the URBs usable for resume (an unpoison
 * would have to know which URBs were poisoned: one that had completed
 * with an error before was not).
 */
static void paycard_usb_pause_in(struct paycard_usb *pu)
{
	usb_kill_anchored_urbs(&pu->in_anchor);
	cancel_work_sync(&pu->clear_halt);
	cancel_delayed_work_sync(&pu->in_retry);
	/* a halt recovery or retry that ran meanwhile may have resubmitted */
	usb_kill_anchored_urbs(&pu->in_anchor);
	usb_scuttle_anchored_urbs(&pu->in_parked);
}

static void paycard_usb_free(struct paycard_usb *pu)
{
	int i;

	for (i = 0; i < PAYCARD_USB_IN_URBS; i++) {
		if (!pu->in_urbs[i])
			continue;
		kfree_sensitive(pu->in_urbs[i]->transfer_buffer);
		usb_free_urb(pu->in_urbs[i]);
	}
	if (pu->out_urb) {
		kfree_sensitive(pu->out_urb->transfer_buffer);
		usb_free_urb(pu->out_urb);
	}
	kfree(pu);
}

static int paycard_usb_alloc_urbs(struct paycard_usb *pu)
{
	struct urb *urb;
	u8 *buf;
	int i;

	pu->out_urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!pu->out_urb)
		return -ENOMEM;
	buf = kzalloc(PAYCARD_USB_OUT_CHUNK, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	usb_fill_bulk_urb(pu->out_urb, pu->udev, pu->out_pipe, buf,
			  PAYCARD_USB_OUT_CHUNK, paycard_usb_out_complete, pu);

	for (i = 0; i < PAYCARD_USB_IN_URBS; i++) {
		urb = usb_alloc_urb(0, GFP_KERNEL);
		if (!urb)
			return -ENOMEM;
		buf = kzalloc(pu->in_maxp, GFP_KERNEL);
		if (!buf) {
			usb_free_urb(urb);
			return -ENOMEM;
		}
		usb_fill_bulk_urb(urb, pu->udev, pu->in_pipe, buf, pu->in_maxp,
				  paycard_usb_in_complete, pu);
		pu->in_urbs[i] = urb;
	}
	return 0;
}

static int paycard_usb_probe(struct usb_interface *intf,
			     const struct usb_device_id *id)
{
	struct usb_endpoint_descriptor *in, *out;
	struct paycard_device *pd;
	struct paycard_usb *pu;
	int ret;

	/* new_id may point us at anything: insist on the PCP endpoints. */
	ret = usb_find_common_endpoints(intf->cur_altsetting, &in, &out,
					NULL, NULL);
	if (ret)
		return -ENODEV;
	if (!usb_endpoint_maxp(in) || !usb_endpoint_maxp(out))
		return -ENODEV;

	pu = kzalloc(sizeof(*pu), GFP_KERNEL);
	if (!pu)
		return -ENOMEM;
	pu->udev = interface_to_usbdev(intf);
	pu->intf = intf;
	pu->in_pipe = usb_rcvbulkpipe(pu->udev, usb_endpoint_num(in));
	pu->out_pipe = usb_sndbulkpipe(pu->udev, usb_endpoint_num(out));
	pu->in_maxp = usb_endpoint_maxp(in);
	init_usb_anchor(&pu->in_anchor);
	init_usb_anchor(&pu->out_anchor);
	init_usb_anchor(&pu->in_parked);
	INIT_WORK(&pu->clear_halt, paycard_usb_clear_halt);
	INIT_DELAYED_WORK(&pu->in_retry, paycard_usb_in_retry);
	mutex_init(&pu->in_restart);
	spin_lock_init(&pu->retry_lock);

	ret = paycard_usb_alloc_urbs(pu);
	if (ret)
		goto err_free;

	pd = paycard_alloc(&intf->dev, &paycard_usb_ops, "usb");
	if (IS_ERR(pd)) {
		ret = PTR_ERR(pd);
		goto err_free;
	}
	pu->pd = pd;
	paycard_set_drvdata(pd, pu);
	usb_set_intfdata(intf, pu);

	/* The handshake in paycard_register() needs responses flowing. */
	ret = paycard_usb_start_in(pu, GFP_KERNEL);
	if (ret)
		goto err_put;
	ret = paycard_register(pd);
	if (ret)
		goto err_stop;
	return 0;

err_stop:
	usb_kill_anchored_urbs(&pu->out_anchor);
	paycard_usb_stop_in(pu);
err_put:
	usb_set_intfdata(intf, NULL);
	paycard_put(pd);
err_free:
	paycard_usb_free(pu);
	return ret;
}

static void paycard_usb_disconnect(struct usb_interface *intf)
{
	struct paycard_usb *pu = usb_get_intfdata(intf);

	/* First the core: after this no send runs and files see -ENODEV. */
	paycard_unregister(pu->pd);
	usb_kill_anchored_urbs(&pu->out_anchor);
	paycard_usb_stop_in(pu);
	usb_set_intfdata(intf, NULL);
	paycard_put(pu->pd);
	paycard_usb_free(pu);
}

static int paycard_usb_suspend(struct usb_interface *intf,
			       pm_message_t message)
{
	struct paycard_usb *pu = usb_get_intfdata(intf);
	int ret;

	ret = paycard_suspend(pu->pd);
	if (ret)
		return ret;
	usb_kill_anchored_urbs(&pu->out_anchor);
	paycard_usb_pause_in(pu);
	return 0;
}

static int paycard_usb_resume(struct usb_interface *intf)
{
	struct paycard_usb *pu = usb_get_intfdata(intf);
	int ret;

	ret = paycard_usb_start_in(pu, GFP_NOIO);
	paycard_resume(pu->pd);
	return ret;
}

static const struct usb_device_id paycard_usb_ids[] = {
	{ USB_DEVICE_AND_INTERFACE_INFO(PCP_USB_TEST_VID, PCP_USB_TEST_PID,
					PCP_USB_CLASS, PCP_USB_SUBCLASS,
					PCP_USB_PROTOCOL) },
	{ }
};
MODULE_DEVICE_TABLE(usb, paycard_usb_ids);

static struct usb_driver paycard_usb_driver = {
	.name = "paycard_usb",
	.probe = paycard_usb_probe,
	.disconnect = paycard_usb_disconnect,
	.suspend = paycard_usb_suspend,
	.resume = paycard_usb_resume,
	.reset_resume = paycard_usb_resume,
	.id_table = paycard_usb_ids,
};
module_usb_driver(paycard_usb_driver);

MODULE_DESCRIPTION("paycard point-of-sale card reader, USB transport");
MODULE_LICENSE("GPL");

/* The URB handling is static: its KUnit suite is compiled in (ext4 style). */
#ifdef CONFIG_PAYCARD_USB_KUNIT_TEST
#include "paycard_usb_test.c"
#endif
