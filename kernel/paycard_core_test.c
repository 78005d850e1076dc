// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the paycard core: registration handshake, the event
 * queue, exclusive open, read/poll, every ioctl's argument checks, command
 * timeouts and aborts, and unplug with files open and calls in flight.
 *
 * The reader is a fake transport in the style of cros_ec_proto_test's mock
 * queue: its send() decodes the command frame, records it, and answers
 * from a per-command-code script by calling paycard_receive_bytes() (an
 * answer may arrive before send() returns, as on a fast bus).  Files are
 * driven through paycard_fops with a test inode and file; user buffers
 * live in an address space attached to the test thread, so the ioctls'
 * copy_from_user()/copy_to_user() run for real.
 *
 * Linked into paycard.ko (it needs paycard_priv.h), hence no MODULE_*().
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "paycard_priv.h"

#define FAKE_LOG	16
#define USER_SIZE	(4 * PAGE_SIZE)

struct fake_reply {
	bool silent;		/* never answer this code */
	u16 status;
	u32 len;
	u8 payload[PCP_INFO_LEN + 8];
};

struct core_ctx {
	struct kunit *test;
	struct device *parent;
	struct paycard_device *pd;
	bool registered;
	struct fake_reply replies[256];
	int send_error;
	/* sent commands */
	unsigned int n_sent;
	u8 sent_code[FAKE_LOG];
	u16 sent_seq[FAKE_LOG];
	u8 last_payload[PCP_INFO_LEN];
	u32 last_len;
	/* an open file */
	struct inode inode;
	struct file file;
	bool file_open;
	/* user memory */
	struct mm_struct *mm;
	u8 __user *ubuf;
	u16 evt_seq;
};

static void fake_info_payload(u8 *p, u32 caps, u8 leds)
{
	memset(p, 0, PCP_INFO_LEN);
	p[0] = PCP_VERSION_MAJOR;
	p[1] = PCP_VERSION_MINOR;
	pcp_put_le32(p + 4, caps);
	pcp_put_le32(p + 8, 1024);
	pcp_put_le32(p + 12, 261);
	memcpy(p + 16, "Model\x01X", 7);	/* control char -> '?' */
	memcpy(p + 48, "SN 12/34", 8);		/* ' ' and '/' -> '_' */
	memcpy(p + 80, "2.0.1", 5);
	p[112] = 16;
	p[113] = leds;
}

static void fake_reply_set(struct core_ctx *ctx, u8 code, u16 status,
			   const void *payload, u32 len)
{
	struct fake_reply *r = &ctx->replies[code];

	r->silent = false;
	r->status = status;
	r->len = len;
	memcpy(r->payload, payload, len);
}

static void fake_deliver(struct core_ctx *ctx, u8 type, u8 code, u16 seq,
			 u16 status, const void *payload, u32 len)
{
	u8 frame[PCP_OVERHEAD + sizeof(ctx->replies[0].payload)];
	int n;

	n = pcp_frame_encode(frame, sizeof(frame), type, code, seq, status,
			     payload, len);
	KUNIT_ASSERT_GT(ctx->test, n, 0);
	paycard_receive_bytes(ctx->pd, frame, n);
}

static int fake_send(struct paycard_device *pd, const u8 *buf, size_t len)
{
	struct core_ctx *ctx = paycard_get_drvdata(pd);
	struct fake_reply *r;
	struct pcp_frame f;

	if (ctx->send_error)
		return ctx->send_error;
	KUNIT_EXPECT_EQ(ctx->test, pcp_frame_decode(buf, len, PCP_MAX_PAYLOAD,
						    &f), (int)len);
	KUNIT_EXPECT_EQ(ctx->test, f.type, PCP_TYPE_COMMAND);
	KUNIT_EXPECT_NE(ctx->test, f.seq, 0);
	if (ctx->n_sent < FAKE_LOG) {
		ctx->sent_code[ctx->n_sent] = f.code;
		ctx->sent_seq[ctx->n_sent] = f.seq;
	}
	ctx->n_sent++;
	ctx->last_len = min_t(u32, f.len, sizeof(ctx->last_payload));
	memcpy(ctx->last_payload, f.payload, ctx->last_len);

	r = &ctx->replies[f.code];
	if (!r->silent)
		fake_deliver(ctx, PCP_TYPE_RESPONSE, f.code, f.seq, r->status,
			     r->payload, r->len);
	return 0;
}

static const struct paycard_transport_ops fake_ops = {
	.send = fake_send,
};

static int core_init(struct kunit *test)
{
	static const u8 version[PCP_HELLO_LEN] = { PCP_VERSION_MAJOR,
						   PCP_VERSION_MINOR };
	struct core_ctx *ctx;
	u8 info[PCP_INFO_LEN];

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ctx->test = test;
	fake_reply_set(ctx, PCP_CMD_HELLO, PCP_STATUS_OK, version,
		       sizeof(version));
	fake_info_payload(info, PCP_CAP_MSR | PCP_CAP_ICC | PCP_CAP_KEYPAD |
			  PCP_CAP_PIN_ENTRY | PCP_CAP_LEDS | PCP_CAP_BUZZER, 2);
	fake_reply_set(ctx, PCP_CMD_GET_INFO, PCP_STATUS_OK, info,
		       sizeof(info));
	ctx->parent = root_device_register("paycard-core-test");
	if (IS_ERR(ctx->parent))
		return PTR_ERR(ctx->parent);
	ctx->pd = paycard_alloc(ctx->parent, &fake_ops, "fake");
	if (IS_ERR(ctx->pd)) {
		root_device_unregister(ctx->parent);
		return PTR_ERR(ctx->pd);
	}
	paycard_set_drvdata(ctx->pd, ctx);
	test->priv = ctx;
	return 0;
}

static void core_exit(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	if (ctx->file_open)
		paycard_fops.release(&ctx->inode, &ctx->file);
	if (ctx->registered)
		paycard_unregister(ctx->pd);
	paycard_put(ctx->pd);
	root_device_unregister(ctx->parent);
}

static void core_register(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	KUNIT_ASSERT_EQ(test, paycard_register(ctx->pd), 0);
	ctx->registered = true;
}

static void core_unplug(struct core_ctx *ctx)
{
	paycard_unregister(ctx->pd);
	ctx->registered = false;
}

static int core_open(struct core_ctx *ctx, struct file *file)
{
	ctx->inode.i_cdev = &ctx->pd->cdev;
	ctx->inode.i_rdev = ctx->pd->dev.devt;
	return paycard_fops.open(&ctx->inode, file);
}

/* Open as paycardd does, O_RDWR: do_dentry_open() sets these modes. */
static void core_open_file(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	ctx->file.f_mode = FMODE_READ | FMODE_WRITE;
	KUNIT_ASSERT_EQ(test, core_open(ctx, &ctx->file), 0);
	ctx->file_open = true;
}

/*
 * Give the test thread an address space with one mapping, so ioctls see a
 * genuine user pointer.  The thread's exit releases it.
 */
static u8 __user *user_buf(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	unsigned long addr;

	if (ctx->ubuf)
		return ctx->ubuf;
	KUNIT_ASSERT_NULL(test, current->mm);
	ctx->mm = mm_alloc();
	KUNIT_ASSERT_NOT_NULL(test, ctx->mm);
	arch_pick_mmap_layout(ctx->mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(ctx->mm);
	addr = vm_mmap(NULL, 0, USER_SIZE, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR_VALUE(addr));
	ctx->ubuf = (u8 __user *)addr;
	return ctx->ubuf;
}

static long raw_ioctl(struct core_ctx *ctx, unsigned int cmd,
		      unsigned long arg)
{
	return paycard_fops.unlocked_ioctl(&ctx->file, cmd, arg);
}

static long core_ioctl(struct core_ctx *ctx, unsigned int cmd,
		       const void *arg, size_t size)
{
	u8 __user *u = user_buf(ctx->test);

	KUNIT_ASSERT_EQ(ctx->test, copy_to_user(u, arg, size), 0);
	return raw_ioctl(ctx, cmd, (unsigned long)u);
}

/* Read back what an ioctl wrote into the user copy of its argument. */
static void core_ioctl_result(struct core_ctx *ctx, void *arg, size_t size)
{
	KUNIT_ASSERT_EQ(ctx->test, copy_from_user(arg, ctx->ubuf, size), 0);
}

static ssize_t core_read(struct core_ctx *ctx, size_t count)
{
	loff_t pos = 0;

	return paycard_fops.read(&ctx->file, (char __user *)user_buf(ctx->test),
				 count, &pos);
}

static void core_event(struct core_ctx *ctx, u8 code, const void *payload,
		       u32 len)
{
	fake_deliver(ctx, PCP_TYPE_EVENT, code, ++ctx->evt_seq, 0, payload,
		     len);
}

static void key_event(struct core_ctx *ctx, u16 key)
{
	u8 p[PCP_KEY_EVENT_LEN] = { 0 };

	pcp_put_le16(p, key);
	core_event(ctx, PCP_EVT_KEY, p, sizeof(p));
}

static struct paycard_stats core_stats(struct core_ctx *ctx)
{
	struct paycard_stats st = { 0 };

	KUNIT_EXPECT_EQ(ctx->test, core_ioctl(ctx, PAYCARD_IOC_GET_STATS, &st,
					      sizeof(st)), 0);
	core_ioctl_result(ctx, &st, sizeof(st));
	return st;
}

/* ---- registration ---- */

static void register_handshake_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_info info;

	core_register(test);
	KUNIT_ASSERT_EQ(test, ctx->n_sent, 2u);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[0], PCP_CMD_HELLO);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[1], PCP_CMD_GET_INFO);
	KUNIT_EXPECT_NE(test, ctx->sent_seq[0], ctx->sent_seq[1]);

	core_open_file(test);
	KUNIT_ASSERT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_GET_INFO, &info,
					 sizeof(info)), 0);
	core_ioctl_result(ctx, &info, sizeof(info));
	KUNIT_EXPECT_EQ(test, info.proto_major, PCP_VERSION_MAJOR);
	KUNIT_EXPECT_EQ(test, info.max_apdu, 261u);
	KUNIT_EXPECT_EQ(test, info.abi_version, (u32)PAYCARD_ABI_VERSION);
	KUNIT_EXPECT_STREQ(test, info.model, "Model?X");
	KUNIT_EXPECT_STREQ(test, info.serial, "SN_12_34");
	KUNIT_EXPECT_STREQ(test, info.firmware, "2.0.1");
	KUNIT_EXPECT_STREQ(test, info.transport, "fake");
}

/*
 * The serial feeds a udev SYMLINK (/dev/paycard/by-serial/<serial>): "."
 * and ".." would name the directory itself or its parent.
 */
static void register_serial_dot_names_test(struct kunit *test)
{
	static const char * const bad[] = { ".", "..", ".hidden" };
	struct core_ctx *ctx = test->priv;
	u8 info[PCP_INFO_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fake_info_payload(info, PCP_CAP_MSR, 0);
		memset(info + 48, 0, PCP_INFO_STR_LEN);
		memcpy(info + 48, bad[i], strlen(bad[i]));
		fake_reply_set(ctx, PCP_CMD_GET_INFO, PCP_STATUS_OK, info,
			       sizeof(info));
		core_register(test);
		KUNIT_EXPECT_NE_MSG(test, ctx->pd->info.serial[0], '.',
				    "serial %s", bad[i]);
		KUNIT_EXPECT_EQ(test, strlen(ctx->pd->info.serial),
				strlen(bad[i]));
		core_unplug(ctx);
		paycard_put(ctx->pd);
		ctx->pd = paycard_alloc(ctx->parent, &fake_ops, "fake");
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->pd);
		paycard_set_drvdata(ctx->pd, ctx);
	}
}

static void register_no_common_version_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	fake_reply_set(ctx, PCP_CMD_HELLO, PCP_STATUS_UNSUPPORTED, NULL, 0);
	KUNIT_EXPECT_EQ(test, paycard_register(ctx->pd), -EPROTONOSUPPORT);
}

static void register_version_out_of_range_test(struct kunit *test)
{
	static const u8 v2[PCP_HELLO_LEN] = { 2, 0 };
	struct core_ctx *ctx = test->priv;

	fake_reply_set(ctx, PCP_CMD_HELLO, PCP_STATUS_OK, v2, sizeof(v2));
	KUNIT_EXPECT_EQ(test, paycard_register(ctx->pd), -EPROTO);
}

static void register_short_info_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	u8 info[PCP_INFO_LEN];

	fake_info_payload(info, 0, 0);
	fake_reply_set(ctx, PCP_CMD_GET_INFO, PCP_STATUS_OK, info,
		       PCP_INFO_LEN - 1);
	KUNIT_EXPECT_EQ(test, paycard_register(ctx->pd), -EPROTO);
}

static void register_send_error_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	ctx->send_error = -EIO;
	KUNIT_EXPECT_EQ(test, paycard_register(ctx->pd), -EIO);
}

/* ---- open, read, poll ---- */

static void exclusive_open_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct file second = { };

	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, core_open(ctx, &second), -EBUSY);
	paycard_fops.release(&ctx->inode, &ctx->file);
	ctx->file_open = false;
	KUNIT_ASSERT_EQ(test, core_open(ctx, &second), 0);
	paycard_fops.release(&ctx->inode, &second);
}

static void read_small_buffer_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	key_event(ctx, PCP_KEY_F1);
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event) - 1),
			-EINVAL);
}

static void read_nonblocking_empty_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	ctx->file.f_flags |= O_NONBLOCK;
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event)),
			-EAGAIN);
}

static void read_key_event_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev;

	core_register(test);
	core_open_file(test);
	key_event(ctx, PCP_KEY_ENTER);
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.type, PAYCARD_EVENT_KEY);
	KUNIT_EXPECT_EQ(test, ev.key.code, PCP_KEY_ENTER);
	KUNIT_EXPECT_EQ(test, ev.seq, 1u);
	KUNIT_EXPECT_EQ(test, ev.flags, 0);
	KUNIT_EXPECT_NE(test, ev.timestamp_ns, 0ull);
}

/* Track records are copied with their lengths and statuses intact. */
static void read_msr_event_test(struct kunit *test)
{
	static const u8 msr[] = {
		PCP_TRACK_ABSENT, 0,
		PCP_TRACK_OK, 5, '1', '2', '3', '=', '4',
		PCP_TRACK_LRC_ERROR, 0,
	};
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev;

	core_register(test);
	core_open_file(test);
	core_event(ctx, PCP_EVT_MSR, msr, sizeof(msr));
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.type, PAYCARD_EVENT_MSR);
	KUNIT_EXPECT_EQ(test, ev.msr.track[0].status, PAYCARD_TRACK_ABSENT);
	KUNIT_EXPECT_EQ(test, ev.msr.track[1].status, PAYCARD_TRACK_OK);
	KUNIT_ASSERT_EQ(test, ev.msr.track[1].len, 5);
	KUNIT_EXPECT_EQ(test, memcmp(ev.msr.track[1].data, "123=4", 5), 0);
	KUNIT_EXPECT_EQ(test, ev.msr.track[2].status, PAYCARD_TRACK_LRC_ERROR);
}

/* A track longer than its ISO 7811 maximum is refused, not truncated. */
static void msr_track_too_long_dropped_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	u8 msr[2 + PCP_TRACK1_MAX + 1 + 4] = { PCP_TRACK_OK, PCP_TRACK1_MAX + 1 };

	core_register(test);
	core_open_file(test);
	ctx->file.f_flags |= O_NONBLOCK;
	core_event(ctx, PCP_EVT_MSR, msr, sizeof(msr));
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event)),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, core_stats(ctx).bad_length, 1ull);
}

static void unknown_event_code_counted_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	ctx->file.f_flags |= O_NONBLOCK;
	core_event(ctx, 0x9f, NULL, 0);
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event)),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, core_stats(ctx).bad_type, 1ull);
}

/* With no file open, events (maybe key presses) are not kept. */
static void events_dropped_while_closed_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	key_event(ctx, PCP_KEY_F1);
	core_open_file(test);
	ctx->file.f_flags |= O_NONBLOCK;
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event)),
			-EAGAIN);
}

/* Closing the file discards what was not read. */
static void release_flushes_queue_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	key_event(ctx, PCP_KEY_F1);
	paycard_fops.release(&ctx->inode, &ctx->file);
	core_open_file(test);
	ctx->file.f_flags |= O_NONBLOCK;
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event)),
			-EAGAIN);
}

static void read_several_events_at_once_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev[3];

	core_register(test);
	core_open_file(test);
	key_event(ctx, PCP_KEY_F1);
	key_event(ctx, PCP_KEY_F1 + 1);
	/* A buffer for three and a half records gets the two queued. */
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev) + sizeof(ev[0]) / 2),
			(ssize_t)(2 * sizeof(ev[0])));
	KUNIT_ASSERT_EQ(test, copy_from_user(ev, ctx->ubuf, 2 * sizeof(ev[0])),
			0);
	KUNIT_EXPECT_EQ(test, ev[0].key.code, PCP_KEY_F1);
	KUNIT_EXPECT_EQ(test, ev[1].key.code, PCP_KEY_F1 + 1);
}

/* 64 events fit; the rest are counted lost and the next one is flagged. */
static void queue_overflow_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev;
	int i;

	core_register(test);
	core_open_file(test);
	for (i = 0; i < PAYCARD_EVENT_QUEUE + 3; i++)
		key_event(ctx, PCP_KEY_F1);
	KUNIT_EXPECT_EQ(test, core_stats(ctx).events_lost, 3ull);
	for (i = 0; i < PAYCARD_EVENT_QUEUE; i++) {
		KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)),
				(ssize_t)sizeof(ev));
		KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)),
				0);
		KUNIT_EXPECT_EQ(test, ev.flags, 0);
		KUNIT_EXPECT_EQ(test, ev.seq, (u32)i + 1);
	}
	key_event(ctx, PCP_KEY_CANCEL);
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.key.code, PCP_KEY_CANCEL);
	KUNIT_EXPECT_EQ(test, ev.flags, PAYCARD_EVF_LOST);
}

/* The reader's own counter skipping a value means it lost events. */
static void event_seq_gap_flagged_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev;

	core_register(test);
	core_open_file(test);
	key_event(ctx, PCP_KEY_F1);
	ctx->evt_seq += 2;
	key_event(ctx, PCP_KEY_F1);
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.seq, 4u);
	KUNIT_EXPECT_EQ(test, ev.flags, PAYCARD_EVF_LOST);
}

/*
 * After RESET the reader's event counter restarts at any value
 * (docs/reader-protocol.md section 4): the first event after it is not a
 * gap, and flagging it would report lost events that never were.
 */
static void event_seq_restarts_after_reset_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev;

	core_register(test);
	core_open_file(test);
	key_event(ctx, PCP_KEY_F1);
	KUNIT_ASSERT_EQ(test, raw_ioctl(ctx, PAYCARD_IOC_RESET, 0), 0);
	ctx->evt_seq = 99;
	key_event(ctx, PCP_KEY_F1);
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.seq, 100u);
	KUNIT_EXPECT_EQ(test, ev.flags, 0);
}

static void poll_states_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, paycard_fops.poll(&ctx->file, NULL), 0);
	core_event(ctx, PCP_EVT_CARD_INSERTED, NULL, 0);
	KUNIT_EXPECT_EQ(test, paycard_fops.poll(&ctx->file, NULL),
			EPOLLIN | EPOLLRDNORM);
	core_unplug(ctx);
	/* the event queued before the unplug is still there to read */
	KUNIT_EXPECT_EQ(test, paycard_fops.poll(&ctx->file, NULL),
			EPOLLIN | EPOLLRDNORM | EPOLLHUP | EPOLLERR);
}

/* ---- calls from another thread ---- */

struct worker {
	struct core_ctx *ctx;
	struct completion started;
	struct completion done;
	long ret;
	bool read;		/* read() instead of PAYCARD_IOC_RESET */
};

static int worker_fn(void *data)
{
	struct worker *w = data;
	loff_t pos = 0;

	complete(&w->started);
	if (w->read) {
		kthread_use_mm(w->ctx->mm);
		w->ret = paycard_fops.read(&w->ctx->file,
					   (char __user *)w->ctx->ubuf,
					   sizeof(struct paycard_event), &pos);
		kthread_unuse_mm(w->ctx->mm);
	} else {
		w->ret = paycard_fops.unlocked_ioctl(&w->ctx->file,
						     PAYCARD_IOC_RESET, 0);
	}
	complete(&w->done);
	return 0;
}

/*
 * The worker sleeps in the call under test: a reader on read_wait, a
 * command caller with its command pending.
 */
static bool worker_waiting(struct core_ctx *ctx, bool read)
{
	bool waiting;

	if (read) {
		/* only a look: the test wakes nobody on its strength */
		return waitqueue_active(&ctx->pd->read_wait);
	}
	spin_lock_irq(&ctx->pd->lock);
	waiting = ctx->pd->cmd.state == PAYCARD_CMD_PENDING;
	spin_unlock_irq(&ctx->pd->lock);
	return waiting;
}

static struct worker *worker_start(struct kunit *test, bool read)
{
	struct core_ctx *ctx = test->priv;
	struct worker *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	struct task_struct *t;
	unsigned long end;

	KUNIT_ASSERT_NOT_NULL(test, w);
	w->ctx = ctx;
	w->read = read;
	init_completion(&w->started);
	init_completion(&w->done);
	user_buf(test);
	t = kthread_run(worker_fn, w, "paycard-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	wait_for_completion(&w->started);
	/*
	 * The test means nothing unless the worker sleeps in the call under
	 * test when the event, unplug or abort comes: wait until it does.
	 */
	end = jiffies + 5 * HZ;
	while (!worker_waiting(ctx, read) && !completion_done(&w->done) &&
	       time_before(jiffies, end))
		msleep(20);
	KUNIT_ASSERT_TRUE_MSG(test, worker_waiting(ctx, read),
			      "worker never reached its wait (ret %ld)",
			      completion_done(&w->done) ? w->ret : 0);
	return w;
}

static long worker_wait(struct kunit *test, struct worker *w)
{
	KUNIT_ASSERT_NE(test, wait_for_completion_timeout(&w->done, 10 * HZ),
			0ul);
	return w->ret;
}

/* A worker whose RESET the reader never answers (5 s timeout). */
static struct worker *worker_start_stuck_command(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	ctx->replies[PCP_CMD_RESET].silent = true;
	return worker_start(test, false);
}

static void blocking_read_woken_by_event_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_event ev;
	struct worker *w;

	core_register(test);
	core_open_file(test);
	w = worker_start(test, true);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	key_event(ctx, PCP_KEY_CLEAR);
	KUNIT_ASSERT_EQ(test, worker_wait(test, w), (long)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.key.code, PCP_KEY_CLEAR);
}

static void blocking_read_woken_by_unplug_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct worker *w;

	core_register(test);
	core_open_file(test);
	w = worker_start(test, true);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	core_unplug(ctx);
	KUNIT_EXPECT_EQ(test, worker_wait(test, w), (long)-ENODEV);
}

static void command_in_flight_at_unplug_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct worker *w;

	w = worker_start_stuck_command(test);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	core_unplug(ctx);
	KUNIT_EXPECT_EQ(test, worker_wait(test, w), (long)-ENODEV);
}

static void abort_cancels_command_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct worker *w;

	w = worker_start_stuck_command(test);
	KUNIT_EXPECT_EQ(test, raw_ioctl(ctx, PAYCARD_IOC_ABORT, 0),
			0);
	KUNIT_EXPECT_EQ(test, worker_wait(test, w), (long)-ECANCELED);
	/* The cancelled caller told the reader to stop. */
	KUNIT_EXPECT_EQ(test, ctx->sent_code[ctx->n_sent - 1], PCP_CMD_ABORT);
}

/*
 * System suspend does not wait for a command in flight (an APDU may take
 * up to 60 s): the command is cancelled, its caller tells the reader to
 * ABORT and gets -ECANCELED, and suspend goes on at once.
 */
static void suspend_cancels_command_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	unsigned long start;
	struct worker *w;

	w = worker_start_stuck_command(test);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, paycard_suspend(ctx->pd), 0);
	KUNIT_EXPECT_LT(test, jiffies_to_msecs(jiffies - start),
			(unsigned int)PAYCARD_TIMEOUT_ABORT);
	KUNIT_EXPECT_EQ(test, worker_wait(test, w), (long)-ECANCELED);
	KUNIT_EXPECT_EQ(test, paycard_resume(ctx->pd), 0);
}

/* ---- after unplug ---- */

static void calls_after_unplug_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct file other = { };

	core_register(test);
	core_open_file(test);
	core_unplug(ctx);
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(struct paycard_event)),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, raw_ioctl(ctx, PAYCARD_IOC_RESET, 0),
			-ENODEV);
	KUNIT_EXPECT_EQ(test, core_open(ctx, &other), -ENODEV);
	/* A late byte from the bus is ignored. */
	key_event(ctx, PCP_KEY_F1);
}

/*
 * Events queued before an unplug (a TAMPER, say) stay readable, and only
 * then does read() say -ENODEV: cdc-wdm and hidraw drain their queues the
 * same way, and hidraw_poll() reports EPOLLIN beside EPOLLHUP meanwhile.
 */
static void events_drained_after_unplug_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	u8 tamper[4] = { PCP_TAMPER_CASE_OPEN, 0, 0, 0 };
	struct paycard_event ev;

	core_register(test);
	core_open_file(test);
	core_event(ctx, PCP_EVT_TAMPER, tamper, sizeof(tamper));
	core_unplug(ctx);
	KUNIT_EXPECT_EQ(test, paycard_fops.poll(&ctx->file, NULL),
			EPOLLIN | EPOLLRDNORM | EPOLLHUP | EPOLLERR);
	KUNIT_ASSERT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)sizeof(ev));
	KUNIT_ASSERT_EQ(test, copy_from_user(&ev, ctx->ubuf, sizeof(ev)), 0);
	KUNIT_EXPECT_EQ(test, ev.type, PAYCARD_EVENT_TAMPER);
	KUNIT_EXPECT_EQ(test, core_read(ctx, sizeof(ev)), (ssize_t)-ENODEV);
	KUNIT_EXPECT_EQ(test, paycard_fops.poll(&ctx->file, NULL),
			EPOLLHUP | EPOLLERR);
}

/* ---- ioctls ---- */

static void unknown_ioctl_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, raw_ioctl(ctx, _IO(PAYCARD_IOC_MAGIC, 0x7f), 0),
			-ENOTTY);
}

static void ioctl_bad_pointer_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	user_buf(test);
	/* The last byte of the mapping: the struct runs off its end. */
	KUNIT_EXPECT_EQ(test, raw_ioctl(ctx, PAYCARD_IOC_UI,
					(unsigned long)ctx->ubuf + USER_SIZE - 1),
			-EFAULT);
	KUNIT_EXPECT_EQ(test, raw_ioctl(ctx, PAYCARD_IOC_GET_INFO, 0), -EFAULT);
	KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
}

struct keypad_case {
	const char *name;
	struct paycard_keypad kp;
	long ret;
};

static const struct keypad_case keypad_cases[] = {
	{ "reserved set", { PAYCARD_KEYPAD_OFF, 0, 0, 0, 1 }, -EINVAL },
	{ "unknown mode", { 3, 0, 0, 0, 0 }, -EINVAL },
	{ "pin_min 3", { PAYCARD_KEYPAD_PIN, 3, 12, 0, 0 }, -EINVAL },
	{ "pin_max 13", { PAYCARD_KEYPAD_PIN, 4, 13, 0, 0 }, -EINVAL },
	{ "min above max", { PAYCARD_KEYPAD_PIN, 8, 6, 0, 0 }, -EINVAL },
	{ "pin 4..12", { PAYCARD_KEYPAD_PIN, 4, 12, 30, 0 }, 0 },
	{ "function", { PAYCARD_KEYPAD_FUNCTION, 0, 0, 0, 0 }, 0 },
	{ "off", { PAYCARD_KEYPAD_OFF, 0, 0, 0, 0 }, 0 },
};

static void keypad_case_desc(const struct keypad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(keypad, keypad_cases, keypad_case_desc);

static void set_keypad_args_test(struct kunit *test)
{
	const struct keypad_case *c = test->param_value;
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_SET_KEYPAD, &c->kp,
					 sizeof(c->kp)), c->ret);
	if (c->ret) {
		/* Refused before anything reached the reader. */
		KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
		return;
	}
	KUNIT_ASSERT_EQ(test, ctx->n_sent, 3u);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[2], PCP_CMD_KEYPAD_MODE);
	KUNIT_ASSERT_EQ(test, ctx->last_len, (u32)PCP_KEYPAD_LEN);
	KUNIT_EXPECT_EQ(test, ctx->last_payload[0], c->kp.mode);
	if (c->kp.mode == PAYCARD_KEYPAD_PIN) {
		KUNIT_EXPECT_EQ(test, ctx->last_payload[1], c->kp.pin_min);
		KUNIT_EXPECT_EQ(test, ctx->last_payload[2], c->kp.pin_max);
		KUNIT_EXPECT_EQ(test, ctx->last_payload[3], c->kp.timeout_s);
	}
}

/* A reader without PIN entry refuses PIN mode in the driver already. */
static void set_keypad_pin_needs_cap_test(struct kunit *test)
{
	struct paycard_keypad kp = { PAYCARD_KEYPAD_PIN, 4, 6, 0, 0 };
	struct core_ctx *ctx = test->priv;
	u8 info[PCP_INFO_LEN];

	fake_info_payload(info, PCP_CAP_KEYPAD, 0);
	fake_reply_set(ctx, PCP_CMD_GET_INFO, PCP_STATUS_OK, info,
		       sizeof(info));
	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_SET_KEYPAD, &kp,
					 sizeof(kp)), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
}

struct ui_case {
	const char *name;
	struct paycard_ui ui;
	long ret;
};

/* The fake reader has two LEDs (mask 0x3) and a buzzer. */
static const struct ui_case ui_cases[] = {
	{ "reserved set", { 0, 0, 0, 1 }, -EINVAL },
	{ "buzzer 5001 ms", { 0, 0, 5001, 0 }, -EINVAL },
	{ "third LED", { 0x4, 0x4, 0, 0 }, -EINVAL },
	{ "on outside mask", { 0x1, 0x2, 0, 0 }, -EINVAL },
	{ "LEDs and 5000 ms", { 0x3, 0x1, 5000, 0 }, 0 },
};

static void ui_case_desc(const struct ui_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(ui, ui_cases, ui_case_desc);

static void ui_args_test(struct kunit *test)
{
	const struct ui_case *c = test->param_value;
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_UI, &c->ui,
					 sizeof(c->ui)), c->ret);
	if (c->ret) {
		KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
		return;
	}
	/* Payload: u16 mask, u16 on, u16 buzzer_ms, u16 0, little-endian. */
	KUNIT_ASSERT_EQ(test, ctx->last_len, (u32)PCP_UI_LEN);
	KUNIT_EXPECT_EQ(test, pcp_get_le16(ctx->last_payload), c->ui.led_mask);
	KUNIT_EXPECT_EQ(test, pcp_get_le16(ctx->last_payload + 2),
			c->ui.led_on);
	KUNIT_EXPECT_EQ(test, pcp_get_le16(ctx->last_payload + 4),
			c->ui.buzzer_ms);
	KUNIT_EXPECT_EQ(test, pcp_get_le16(ctx->last_payload + 6), 0);
}

static const u8 test_atr[] = { 0x3b, 0x02, 0x14, 0x50 };

/* Register, open and power the card on (its ATR: test_atr). */
static void core_open_powered(struct kunit *test,
			      struct paycard_chip_power *cp)
{
	struct core_ctx *ctx = test->priv;

	memset(cp, 0, sizeof(*cp));
	cp->on = 1;
	fake_reply_set(ctx, PCP_CMD_CHIP_POWER_ON, PCP_STATUS_OK, test_atr,
		       sizeof(test_atr));
	core_register(test);
	core_open_file(test);
	KUNIT_ASSERT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_CHIP_POWER, cp,
					 sizeof(*cp)), 0);
}

static void chip_power_test(struct kunit *test)
{
	struct paycard_chip_power cp;
	struct core_ctx *ctx = test->priv;

	core_open_powered(test, &cp);
	core_ioctl_result(ctx, &cp, sizeof(cp));
	KUNIT_ASSERT_EQ(test, cp.atr_len, (u32)sizeof(test_atr));
	KUNIT_EXPECT_EQ(test, memcmp(cp.atr, test_atr, sizeof(test_atr)), 0);

	cp.on = 2;
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_CHIP_POWER, &cp,
					 sizeof(cp)), -EINVAL);
}

/*
 * Closing hands the next opener a quiet reader: the card powered down
 * (which also ends its selected application) and PIN entry off; otherwise
 * the next opener inherits the card session and the PIN pad.
 */
static void close_resets_reader_state_test(struct kunit *test)
{
	struct paycard_chip_power cp;
	struct paycard_keypad kp = {
		.mode = PAYCARD_KEYPAD_PIN, .pin_min = 4, .pin_max = 12,
	};
	struct core_ctx *ctx = test->priv;
	unsigned int sent;

	core_open_powered(test, &cp);
	KUNIT_ASSERT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_SET_KEYPAD, &kp,
					 sizeof(kp)), 0);
	sent = ctx->n_sent;
	paycard_fops.release(&ctx->inode, &ctx->file);
	ctx->file_open = false;
	KUNIT_ASSERT_EQ(test, ctx->n_sent, sent + 2);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[sent], PCP_CMD_CHIP_POWER_OFF);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[sent + 1], PCP_CMD_KEYPAD_MODE);
	KUNIT_EXPECT_EQ(test, ctx->last_payload[0], PCP_KEYPAD_OFF);

	/* nothing left to undo: the next close sends nothing */
	core_open_file(test);
	paycard_fops.release(&ctx->inode, &ctx->file);
	ctx->file_open = false;
	KUNIT_EXPECT_EQ(test, ctx->n_sent, sent + 2);
}

static void chip_power_errors_test(struct kunit *test)
{
	struct paycard_chip_power cp = { .on = 1 };
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	/* One byte is no ATR. */
	fake_reply_set(ctx, PCP_CMD_CHIP_POWER_ON, PCP_STATUS_OK, "\x3b", 1);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_CHIP_POWER, &cp,
					 sizeof(cp)), -EIO);
	fake_reply_set(ctx, PCP_CMD_CHIP_POWER_ON, PCP_STATUS_NO_CARD, NULL, 0);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_CHIP_POWER, &cp,
					 sizeof(cp)), -ENOMEDIUM);
}

/* struct paycard_apdu with both buffers in the user mapping. */
static struct paycard_apdu apdu_args(struct core_ctx *ctx, u32 cmd_len,
				     u32 rsp_size, u32 timeout_ms)
{
	u8 __user *u = user_buf(ctx->test);
	struct paycard_apdu ap = {
		.cmd_ptr = (u64)(unsigned long)(u + PAGE_SIZE),
		.rsp_ptr = (u64)(unsigned long)(u + 2 * PAGE_SIZE),
		.cmd_len = cmd_len,
		.rsp_size = rsp_size,
		.timeout_ms = timeout_ms,
	};
	/* SELECT by name, the first four bytes of any EMV session. */
	static const u8 select[] = { 0x00, 0xa4, 0x04, 0x00, 0x0e };

	KUNIT_EXPECT_EQ(ctx->test, copy_to_user(u + PAGE_SIZE, select,
						sizeof(select)), 0);
	return ap;
}

static void apdu_exchange_test(struct kunit *test)
{
	static const u8 rapdu[] = { 0x6f, 0x00, 0x90, 0x00 };
	struct core_ctx *ctx = test->priv;
	struct paycard_apdu ap;
	u8 got[sizeof(rapdu)];

	fake_reply_set(ctx, PCP_CMD_APDU, PCP_STATUS_OK, rapdu, sizeof(rapdu));
	core_register(test);
	core_open_file(test);
	ap = apdu_args(ctx, 5, 256, 0);
	KUNIT_ASSERT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					 sizeof(ap)), 0);
	core_ioctl_result(ctx, &ap, sizeof(ap));
	KUNIT_EXPECT_EQ(test, ap.rsp_len, (u32)sizeof(rapdu));
	KUNIT_ASSERT_EQ(test, copy_from_user(got, ctx->ubuf + 2 * PAGE_SIZE,
					     sizeof(got)), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, rapdu, sizeof(rapdu)), 0);
	KUNIT_ASSERT_EQ(test, ctx->last_len, 5u);
	KUNIT_EXPECT_EQ(test, ctx->last_payload[1], 0xa4);
}

static void apdu_bad_args_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_apdu ap;

	core_register(test);
	core_open_file(test);
	ap = apdu_args(ctx, 3, 256, 0);		/* shorter than a header */
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					 sizeof(ap)), -EINVAL);
	ap = apdu_args(ctx, 262, 256, 0);	/* above the reader's 261 */
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					 sizeof(ap)), -EINVAL);
	ap = apdu_args(ctx, 5, 256, 60001);	/* timeout above 60 s */
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					 sizeof(ap)), -EINVAL);
	ap = apdu_args(ctx, 5, 256, 0);
	ap.cmd_ptr = 0;				/* unreadable C-APDU */
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					 sizeof(ap)), -EFAULT);
	KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
}

/*
 * Only a file opened for writing may act on the reader (block/ioctl.c
 * answers -EBADF the same way for its writing ioctls): an O_RDONLY opener
 * gets the information and statistics, but cannot power the card, send an
 * APDU, change the keypad or UI, abort or reset.
 */
static void readonly_open_cannot_act_test(struct kunit *test)
{
	static const unsigned int acting[] = {
		PAYCARD_IOC_CHIP_POWER, PAYCARD_IOC_APDU,
		PAYCARD_IOC_SET_KEYPAD, PAYCARD_IOC_UI, PAYCARD_IOC_ABORT,
		PAYCARD_IOC_RESET,
	};
	struct core_ctx *ctx = test->priv;
	u8 arg[sizeof(struct paycard_apdu) + sizeof(struct paycard_info)];
	struct paycard_apdu ap;
	size_t i;

	core_register(test);
	ctx->file.f_mode = FMODE_READ;
	KUNIT_ASSERT_EQ(test, core_open(ctx, &ctx->file), 0);
	ctx->file_open = true;
	ap = apdu_args(ctx, 5, 256, 0);
	memset(arg, 0, sizeof(arg));
	memcpy(arg, &ap, sizeof(ap));
	for (i = 0; i < ARRAY_SIZE(acting); i++)
		KUNIT_EXPECT_EQ_MSG(test, core_ioctl(ctx, acting[i], arg,
						     sizeof(arg)),
				    (long)-EBADF, "ioctl 0x%x", acting[i]);
	KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_GET_INFO, arg,
					 sizeof(arg)), 0);
	core_stats(ctx);
}

/*
 * The SELECT of apdu_args() (Le 0x0e) with a @rsp_size-byte buffer, which
 * must fail with -EMSGSIZE: returns the rsp_len the caller is told.
 */
static u32 apdu_too_small(struct core_ctx *ctx, u32 rsp_size)
{
	struct paycard_apdu ap = apdu_args(ctx, 5, rsp_size, 0);

	KUNIT_EXPECT_EQ(ctx->test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					      sizeof(ap)), -EMSGSIZE);
	core_ioctl_result(ctx, &ap, sizeof(ap));
	return ap.rsp_len;
}

/*
 * A buffer too small for the response the C-APDU asks for (Le 0x0e: up
 * to 14 data bytes and SW1 SW2, ISO/IEC 7816-4 section 5.1) is refused
 * with -EMSGSIZE before the APDU goes out: the card must not run a command
 * (GENERATE AC bumps its ATC) whose answer cannot be returned.  rsp_len
 * says the size needed.
 */
static void apdu_small_buffer_refused_before_send_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;

	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, apdu_too_small(ctx, 15), 16u);
	KUNIT_EXPECT_EQ(test, ctx->n_sent, 2u);
}

/*
 * A card answering more than its Le asked for still cannot overflow the
 * buffer: -EMSGSIZE, and rsp_len says how big the answer was.
 */
static void apdu_response_too_big_test(struct kunit *test)
{
	static const u8 rapdu[18] = { [16] = 0x90, [17] = 0x00 };
	struct core_ctx *ctx = test->priv;

	fake_reply_set(ctx, PCP_CMD_APDU, PCP_STATUS_OK, rapdu, sizeof(rapdu));
	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, apdu_too_small(ctx, 16), (u32)sizeof(rapdu));
}

/* No answer within timeout_ms: -ETIMEDOUT, ABORT sent, counted. */
static void apdu_timeout_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	struct paycard_apdu ap;
	u16 seq;

	core_register(test);
	core_open_file(test);
	ctx->replies[PCP_CMD_APDU].silent = true;
	ap = apdu_args(ctx, 5, 256, 50);
	KUNIT_EXPECT_EQ(test, core_ioctl(ctx, PAYCARD_IOC_APDU, &ap,
					 sizeof(ap)), -ETIMEDOUT);
	KUNIT_ASSERT_EQ(test, ctx->n_sent, 4u);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[2], PCP_CMD_APDU);
	KUNIT_EXPECT_EQ(test, ctx->sent_code[3], PCP_CMD_ABORT);
	seq = ctx->sent_seq[2];
	/* The late answer is dropped quietly, a stray one is counted. */
	fake_deliver(ctx, PCP_TYPE_RESPONSE, PCP_CMD_APDU, seq, 0, NULL, 0);
	fake_deliver(ctx, PCP_TYPE_RESPONSE, PCP_CMD_APDU, seq + 100, 0,
		     NULL, 0);
	KUNIT_EXPECT_EQ(test, core_stats(ctx).timeouts, 1ull);
	KUNIT_EXPECT_EQ(test, core_stats(ctx).unmatched, 1ull);
}

struct status_case {
	u16 status;
	long err;
};

/* Reader statuses and the errno each becomes (include/uapi/linux/paycard.h). */
static const struct status_case status_cases[] = {
	{ PCP_STATUS_OK, 0 },
	{ PCP_STATUS_UNSUPPORTED, -EOPNOTSUPP },
	{ PCP_STATUS_BAD_PARAM, -EINVAL },
	{ PCP_STATUS_BUSY, -EBUSY },
	{ PCP_STATUS_NO_CARD, -ENOMEDIUM },
	{ PCP_STATUS_CARD_ERROR, -EIO },
	{ PCP_STATUS_TIMEOUT, -ETIMEDOUT },
	{ PCP_STATUS_ABORTED, -ECANCELED },
	{ PCP_STATUS_BAD_FRAME, -EPROTO },
	{ PCP_STATUS_TOO_LARGE, -EMSGSIZE },
	{ PCP_STATUS_INTERNAL, -EIO },
};

static void status_case_desc(const struct status_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "status 0x%04x", c->status);
}

KUNIT_ARRAY_PARAM(status, status_cases, status_case_desc);

static void status_errno_test(struct kunit *test)
{
	const struct status_case *c = test->param_value;
	struct core_ctx *ctx = test->priv;

	fake_reply_set(ctx, PCP_CMD_RESET, c->status, NULL, 0);
	core_register(test);
	core_open_file(test);
	KUNIT_EXPECT_EQ(test, raw_ioctl(ctx, PAYCARD_IOC_RESET, 0),
			c->err);
}

/* Garbage and corrupt frames on the line are counted, then ignored. */
static void corrupt_frames_counted_test(struct kunit *test)
{
	struct core_ctx *ctx = test->priv;
	u8 frame[PCP_OVERHEAD];
	struct paycard_stats st;
	int n;

	core_register(test);
	core_open_file(test);
	n = pcp_frame_encode(frame, sizeof(frame), PCP_TYPE_EVENT,
			     PCP_EVT_CARD_REMOVED, 1, 0, NULL, 0);
	KUNIT_ASSERT_EQ(test, n, (int)sizeof(frame));
	frame[n - 1] ^= 0xff;
	paycard_receive_bytes(ctx->pd, frame, n);
	st = core_stats(ctx);
	KUNIT_EXPECT_EQ(test, st.bad_crc, 1ull);
	KUNIT_EXPECT_EQ(test, paycard_fops.poll(&ctx->file, NULL), 0);
}

static struct kunit_case paycard_core_test_cases[] = {
	KUNIT_CASE(register_handshake_test),
	KUNIT_CASE(register_no_common_version_test),
	KUNIT_CASE(register_version_out_of_range_test),
	KUNIT_CASE(register_short_info_test),
	KUNIT_CASE(register_send_error_test),
	KUNIT_CASE(exclusive_open_test),
	KUNIT_CASE(readonly_open_cannot_act_test),
	KUNIT_CASE(register_serial_dot_names_test),
	KUNIT_CASE(read_small_buffer_test),
	KUNIT_CASE(read_nonblocking_empty_test),
	KUNIT_CASE(read_key_event_test),
	KUNIT_CASE(read_msr_event_test),
	KUNIT_CASE(msr_track_too_long_dropped_test),
	KUNIT_CASE(unknown_event_code_counted_test),
	KUNIT_CASE(events_dropped_while_closed_test),
	KUNIT_CASE(release_flushes_queue_test),
	KUNIT_CASE(read_several_events_at_once_test),
	KUNIT_CASE(queue_overflow_test),
	KUNIT_CASE(event_seq_gap_flagged_test),
	KUNIT_CASE(event_seq_restarts_after_reset_test),
	KUNIT_CASE(poll_states_test),
	KUNIT_CASE(blocking_read_woken_by_event_test),
	KUNIT_CASE(blocking_read_woken_by_unplug_test),
	KUNIT_CASE(command_in_flight_at_unplug_test),
	KUNIT_CASE(abort_cancels_command_test),
	KUNIT_CASE(suspend_cancels_command_test),
	KUNIT_CASE(calls_after_unplug_test),
	KUNIT_CASE(events_drained_after_unplug_test),
	KUNIT_CASE(unknown_ioctl_test),
	KUNIT_CASE(ioctl_bad_pointer_test),
	KUNIT_CASE_PARAM(set_keypad_args_test, keypad_gen_params),
	KUNIT_CASE(set_keypad_pin_needs_cap_test),
	KUNIT_CASE_PARAM(ui_args_test, ui_gen_params),
	KUNIT_CASE(chip_power_test),
	KUNIT_CASE(chip_power_errors_test),
	KUNIT_CASE(close_resets_reader_state_test),
	KUNIT_CASE(apdu_exchange_test),
	KUNIT_CASE(apdu_bad_args_test),
	KUNIT_CASE(apdu_small_buffer_refused_before_send_test),
	KUNIT_CASE(apdu_response_too_big_test),
	KUNIT_CASE(apdu_timeout_test),
	KUNIT_CASE_PARAM(status_errno_test, status_gen_params),
	KUNIT_CASE(corrupt_frames_counted_test),
	{}
};

static struct kunit_suite paycard_core_test_suite = {
	.name = "paycard_core",
	.init = core_init,
	.exit = core_exit,
	.test_cases = paycard_core_test_cases,
};

kunit_test_suite(paycard_core_test_suite);
