// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the paycard USB transport's bulk IN completion handling.
 *
 * Included at the end of kernel/paycard_usb.c when
 * CONFIG_PAYCARD_USB_KUNIT_TEST is set, so it can call the static
 * completion handler directly (the pattern of fs/ext4/mballoc-test.c).
 * Each test builds a struct paycard_usb around a real core instance from
 * paycard_alloc() (never registered, so the core sends nothing) and an URB
 * on a detached usb_device: the handler's resubmission then fails with
 * -ENODEV, which it ignores by design, so no host controller is needed.
 * What reached the core is read from its statistics.
 */
#include <kunit/test.h>

#include "paycard_priv.h"

#define USB_TEST_MAXP	64

struct usb_test_ctx {
	struct paycard_usb pu;
	struct device *parent;
	struct usb_device *udev;
	struct usb_interface *intf;
	struct urb *urb;
	struct completion halt_cleared;
};

/* Stands in for paycard_usb_clear_halt(), which needs a real device. */
static void usb_test_clear_halt(struct work_struct *work)
{
	struct usb_test_ctx *ctx = container_of(work, struct usb_test_ctx,
						pu.clear_halt);

	complete(&ctx->halt_cleared);
}

static int usb_test_init(struct kunit *test)
{
	struct usb_test_ctx *ctx;
	u8 *buf;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	init_completion(&ctx->halt_cleared);
	ctx->udev = kunit_kzalloc(test, sizeof(*ctx->udev), GFP_KERNEL);
	ctx->intf = kunit_kzalloc(test, sizeof(*ctx->intf), GFP_KERNEL);
	buf = kunit_kzalloc(test, USB_TEST_MAXP, GFP_KERNEL);
	if (!ctx->udev || !ctx->intf || !buf)
		return -ENOMEM;
	/* state USB_STATE_NOTATTACHED: usb_submit_urb() says -ENODEV */
	ctx->pu.udev = ctx->udev;
	ctx->pu.intf = ctx->intf;
	init_usb_anchor(&ctx->pu.in_anchor);
	init_usb_anchor(&ctx->pu.in_parked);
	INIT_WORK(&ctx->pu.clear_halt, usb_test_clear_halt);
	INIT_DELAYED_WORK(&ctx->pu.in_retry, paycard_usb_in_retry);
	mutex_init(&ctx->pu.in_restart);
	spin_lock_init(&ctx->pu.retry_lock);

	ctx->parent = root_device_register("paycard-usb-test");
	if (IS_ERR(ctx->parent))
		return PTR_ERR(ctx->parent);
	ctx->pu.pd = paycard_alloc(ctx->parent, &paycard_usb_ops, "usb");
	if (IS_ERR(ctx->pu.pd)) {
		root_device_unregister(ctx->parent);
		return PTR_ERR(ctx->pu.pd);
	}
	paycard_set_drvdata(ctx->pu.pd, &ctx->pu);

	ctx->urb = usb_alloc_urb(0, GFP_KERNEL);
	if (!ctx->urb) {
		paycard_put(ctx->pu.pd);
		root_device_unregister(ctx->parent);
		return -ENOMEM;
	}
	usb_fill_bulk_urb(ctx->urb, ctx->udev, 0, buf, USB_TEST_MAXP,
			  paycard_usb_in_complete, &ctx->pu);
	test->priv = ctx;
	return 0;
}

static void usb_test_exit(struct kunit *test)
{
	struct usb_test_ctx *ctx = test->priv;

	cancel_work_sync(&ctx->pu.clear_halt);
	cancel_delayed_work_sync(&ctx->pu.in_retry);
	usb_scuttle_anchored_urbs(&ctx->pu.in_parked);
	usb_free_urb(ctx->urb);
	paycard_put(ctx->pu.pd);
	root_device_unregister(ctx->parent);
}

/* Complete the URB as the host controller would, with @len bytes. */
static void usb_test_complete(struct usb_test_ctx *ctx, int status,
			      const u8 *data, u32 len)
{
	if (len)
		memcpy(ctx->urb->transfer_buffer, data, len);
	ctx->urb->actual_length = len;
	ctx->urb->status = status;
	ctx->urb->complete(ctx->urb);
}

static u64 usb_test_frames_rx(struct usb_test_ctx *ctx)
{
	struct paycard_device *pd = ctx->pu.pd;
	u64 n;

	spin_lock_irq(&pd->lock);
	n = pd->stats.frames_rx;
	spin_unlock_irq(&pd->lock);
	return n;
}

/* A CARD_REMOVED event frame, 16 bytes. */
static int usb_test_event(u8 *out, size_t size)
{
	return pcp_frame_encode(out, size, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED,
				1, 0, NULL, 0);
}

static void usb_in_delivers_and_wipes_test(struct kunit *test)
{
	struct usb_test_ctx *ctx = test->priv;
	u8 frame[PCP_OVERHEAD];
	const u8 *buf = ctx->urb->transfer_buffer;
	int n = usb_test_event(frame, sizeof(frame)), i;

	KUNIT_ASSERT_EQ(test, n, (int)sizeof(frame));
	usb_test_complete(ctx, 0, frame, n);
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 1ull);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0, "byte %d not wiped", i);
	/* Resubmission failed quietly: nothing stays anchored. */
	KUNIT_EXPECT_TRUE(test, usb_anchor_empty(&ctx->pu.in_anchor));
}

/* A frame split over two packets is delivered once, when complete. */
static void usb_in_frame_across_packets_test(struct kunit *test)
{
	struct usb_test_ctx *ctx = test->priv;
	u8 frame[PCP_OVERHEAD];
	int n = usb_test_event(frame, sizeof(frame));

	KUNIT_ASSERT_EQ(test, n, (int)sizeof(frame));
	usb_test_complete(ctx, 0, frame, 5);
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 0ull);
	usb_test_complete(ctx, 0, frame + 5, n - 5);
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 1ull);
}

/* Two frames in one packet are both delivered. */
static void usb_in_two_frames_one_packet_test(struct kunit *test)
{
	struct usb_test_ctx *ctx = test->priv;
	u8 frames[2 * PCP_OVERHEAD];

	KUNIT_ASSERT_EQ(test, usb_test_event(frames, PCP_OVERHEAD),
			PCP_OVERHEAD);
	memcpy(frames + PCP_OVERHEAD, frames, PCP_OVERHEAD);
	usb_test_complete(ctx, 0, frames, sizeof(frames));
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 2ull);
}

/* Errors carry no data: whatever is in the buffer never reaches the core. */
static const int usb_error_statuses[] = {
	-ENOENT, -ECONNRESET, -ESHUTDOWN, -ENODEV,
	-EPROTO, -EILSEQ, -ETIME, -EOVERFLOW,
};

static void usb_status_desc(const int *status, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "status %d", *status);
}

KUNIT_ARRAY_PARAM(usb_status, usb_error_statuses, usb_status_desc);

static void usb_in_error_not_delivered_test(struct kunit *test)
{
	struct usb_test_ctx *ctx = test->priv;
	const int *status = test->param_value;
	u8 frame[PCP_OVERHEAD];
	int n = usb_test_event(frame, sizeof(frame));

	KUNIT_ASSERT_EQ(test, n, (int)sizeof(frame));
	usb_test_complete(ctx, *status, frame, n);
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 0ull);
	KUNIT_EXPECT_FALSE(test, work_pending(&ctx->pu.clear_halt));
}

/* A stalled endpoint is cleared from process context, not resubmitted. */
static void usb_in_stall_clears_halt_test(struct kunit *test)
{
	struct usb_test_ctx *ctx = test->priv;

	usb_test_complete(ctx, -EPIPE, NULL, 0);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&ctx->halt_cleared,
							  HZ), 0ul);
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 0ull);
}

/*
 * A line error (-EPROTO, -EILSEQ, -ETIME: noise, a marginal cable) must not
 * leave the URB dead, or after PAYCARD_USB_IN_URBS of them the reader is
 * deaf.  It is resubmitted after usbhid's backoff (hid_io_error(): 13 ms,
 * doubling up to 104 ms), and a good completion ends the backoff.
 */
static void usb_in_line_error_retried_test(struct kunit *test)
{
	static const int line_errors[] = { -EPROTO, -EILSEQ, -ETIME,
					   -EPROTO, -ETIME };
	static const unsigned int delays_ms[] = { 13, 26, 52, 104, 104 };
	struct usb_test_ctx *ctx = test->priv;
	u8 frame[PCP_OVERHEAD];
	int n = usb_test_event(frame, sizeof(frame)), i;

	for (i = 0; i < ARRAY_SIZE(line_errors); i++) {
		usb_test_complete(ctx, line_errors[i], NULL, 0);
		KUNIT_EXPECT_FALSE(test, usb_anchor_empty(&ctx->pu.in_parked));
		KUNIT_EXPECT_TRUE(test,
				  delayed_work_pending(&ctx->pu.in_retry));
		KUNIT_EXPECT_EQ(test, ctx->pu.retry_ms, delays_ms[i]);
		/* resubmitted (the detached device then refuses it) */
		flush_delayed_work(&ctx->pu.in_retry);
		KUNIT_EXPECT_TRUE(test, usb_anchor_empty(&ctx->pu.in_parked));
	}
	usb_test_complete(ctx, 0, frame, n);
	KUNIT_EXPECT_EQ(test, ctx->pu.retry_ms, 0u);
	KUNIT_EXPECT_EQ(test, usb_test_frames_rx(ctx), 1ull);
}

static struct kunit_case paycard_usb_test_cases[] = {
	KUNIT_CASE(usb_in_delivers_and_wipes_test),
	KUNIT_CASE(usb_in_frame_across_packets_test),
	KUNIT_CASE(usb_in_two_frames_one_packet_test),
	KUNIT_CASE_PARAM(usb_in_error_not_delivered_test,
			 usb_status_gen_params),
	KUNIT_CASE(usb_in_stall_clears_halt_test),
	KUNIT_CASE(usb_in_line_error_retried_test),
	{}
};

static struct kunit_suite paycard_usb_test_suite = {
	.name = "paycard_usb",
	.init = usb_test_init,
	.exit = usb_test_exit,
	.test_cases = paycard_usb_test_cases,
};

kunit_test_suite(paycard_usb_test_suite);
