// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the paycard SPI transport (kernel/paycard_spi.c).
 *
 * Each test registers a fake SPI controller whose transfer_one() plays the
 * reader's side of the block protocol (paycard_spi.h): it collects the
 * host's stream bytes into its own frame assembler, answers HELLO and
 * GET_INFO like a real reader, and raises a data-ready interrupt from a
 * simulated interrupt domain (irq_sim) whenever it has bytes waiting.  The
 * real driver binds to a device on that controller through the normal SPI
 * bus matching, so probe, the interrupt thread, the send path and removal
 * all run as on hardware.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irq_sim.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/pm_runtime.h>
#include <linux/property.h>
#include <linux/spi/spi.h>
#include <linux/string.h>

#include <paycard/frame.h>

#include "paycard_compat.h"
#include "paycard_spi.h"

#define FAKE_MAX_CMDS		16
#define FAKE_STREAM_SIZE	4096

/* The reader on the far side of the fake controller. */
struct fake_reader {
	struct kunit *test;
	struct device *root;
	struct spi_controller *ctlr;
	struct spi_device *spi;
	struct irq_domain *domain;
	int irq;
	struct software_node swnode;
	struct property_entry props[3];

	struct mutex lock;		/* everything below */
	/* behaviour */
	bool silent;			/* never answers commands */
	int busy_blocks;		/* answer BUSY to this many data blocks */
	int fail_blocks;		/* transfer_one fails this many times */
	int garbled_blocks;		/* send an impossible header */
	bool stuck_more;		/* always claim MORE */
	/* reader -> host stream */
	u8 out[FAKE_STREAM_SIZE];
	size_t out_len;
	size_t out_pos;
	/* host -> reader stream */
	struct pcp_assembler cmd_asm;
	u8 cmd_buf[1024];
	/* observations */
	unsigned int blocks;
	unsigned int busy_sent;
	unsigned int bad_host_headers;
	u32 last_speed_hz;
	u32 last_mode;
	unsigned int last_len;
	unsigned int n_cmds;
	u8 cmd_codes[FAKE_MAX_CMDS];
	u16 cmd_seqs[FAKE_MAX_CMDS];
	u16 evt_seq;
};

static void fake_queue_frame(struct fake_reader *fr, u8 type, u8 code,
			     u16 seq, u16 status, const u8 *payload, u32 len)
{
	int n = pcp_frame_encode(fr->out + fr->out_len,
				 sizeof(fr->out) - fr->out_len, type, code,
				 seq, status, payload, len);

	KUNIT_ASSERT_GT(fr->test, n, 0);
	fr->out_len += n;
}

/* GET_INFO payload of a test reader, laid out as protocol.h describes. */
static void fake_info(u8 *p)
{
	memset(p, 0, PCP_INFO_LEN);
	p[0] = PCP_VERSION_MAJOR;
	p[1] = PCP_VERSION_MINOR;
	pcp_put_le32(p + 4, PCP_CAP_MSR | PCP_CAP_ICC | PCP_CAP_KEYPAD);
	pcp_put_le32(p + 8, 1024);
	pcp_put_le32(p + 12, 261);
	memcpy(p + 16, "SPI test reader", 15);
	memcpy(p + 48, "SPI0001", 7);
	memcpy(p + 80, "1.2.3", 5);
	p[112] = 16;
	p[113] = 2;
}

static void fake_answer(struct fake_reader *fr, const struct pcp_frame *f)
{
	static const u8 version[PCP_HELLO_LEN] = { PCP_VERSION_MAJOR,
						   PCP_VERSION_MINOR };
	u8 info[PCP_INFO_LEN];

	switch (f->code) {
	case PCP_CMD_HELLO:
		fake_queue_frame(fr, PCP_TYPE_RESPONSE, f->code, f->seq,
				 PCP_STATUS_OK, version, sizeof(version));
		break;
	case PCP_CMD_GET_INFO:
		fake_info(info);
		fake_queue_frame(fr, PCP_TYPE_RESPONSE, f->code, f->seq,
				 PCP_STATUS_OK, info, sizeof(info));
		break;
	default:
		fake_queue_frame(fr, PCP_TYPE_RESPONSE, f->code, f->seq,
				 PCP_STATUS_OK, NULL, 0);
		break;
	}
}

/* Take the host's stream bytes of one block and act on whole commands. */
static void fake_take_host_bytes(struct fake_reader *fr, const u8 *data,
				 size_t len)
{
	struct pcp_frame f;

	pcp_asm_feed(&fr->cmd_asm, data, len);
	while (pcp_asm_next(&fr->cmd_asm, &f)) {
		if (f.type != PCP_TYPE_COMMAND)
			continue;
		if (fr->n_cmds < FAKE_MAX_CMDS) {
			fr->cmd_codes[fr->n_cmds] = f.code;
			fr->cmd_seqs[fr->n_cmds] = f.seq;
		}
		fr->n_cmds++;
		if (!fr->silent)
			fake_answer(fr, &f);
	}
}

static void fake_raise_data_ready(struct fake_reader *fr)
{
	irq_set_irqchip_state(fr->irq, IRQCHIP_STATE_PENDING, true);
}

static struct fake_reader *fake_of(struct spi_controller *ctlr)
{
	return *(struct fake_reader **)spi_controller_get_devdata(ctlr);
}

/*
 * The reader's half of one block: its own block was prepared before the
 * host's bytes arrive (as a DMA-driven firmware would), then it takes the
 * host's bytes unless it answered BUSY.
 */
static int fake_transfer_one(struct spi_controller *ctlr,
			     struct spi_device *spi, struct spi_transfer *xfer)
{
	struct fake_reader *fr = fake_of(ctlr);
	const u8 *tx = xfer->tx_buf;
	u8 *rx = xfer->rx_buf;
	size_t room = xfer->len - PCP_SPI_HDR_LEN;
	size_t count, host_count;
	bool pending;
	u16 hdr = 0, host_hdr;

	mutex_lock(&fr->lock);
	fr->blocks++;
	fr->last_speed_hz = xfer->speed_hz;
	fr->last_mode = spi->mode;
	fr->last_len = xfer->len;
	if (fr->fail_blocks) {
		fr->fail_blocks--;
		mutex_unlock(&fr->lock);
		return -EIO;
	}

	host_hdr = get_unaligned_le16(tx);
	host_count = host_hdr & PCP_SPI_COUNT_MASK;
	if ((host_hdr & ~PCP_SPI_COUNT_MASK) || host_count > room) {
		fr->bad_host_headers++;
		host_count = 0;
	}

	memset(rx, 0, xfer->len);
	if (fr->garbled_blocks) {
		fr->garbled_blocks--;
		memset(rx, 0xff, xfer->len);
		mutex_unlock(&fr->lock);
		return 0;
	}
	count = min(fr->out_len - fr->out_pos, room);
	memcpy(rx + PCP_SPI_HDR_LEN, fr->out + fr->out_pos, count);
	fr->out_pos += count;
	if (fr->out_pos < fr->out_len || fr->stuck_more)
		hdr |= PCP_SPI_MORE;
	if (host_count && fr->busy_blocks) {
		fr->busy_blocks--;
		fr->busy_sent++;
		hdr |= PCP_SPI_BUSY;
	} else if (host_count) {
		fake_take_host_bytes(fr, tx + PCP_SPI_HDR_LEN, host_count);
	}
	put_unaligned_le16(hdr | count, rx);
	pending = fr->out_pos < fr->out_len;
	mutex_unlock(&fr->lock);

	if (pending)
		fake_raise_data_ready(fr);
	return 0;
}

static int fake_init(struct kunit *test)
{
	struct fake_reader *fr;
	int ret;

	fr = kunit_kzalloc(test, sizeof(*fr), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fr);
	fr->test = test;
	mutex_init(&fr->lock);
	pcp_asm_init(&fr->cmd_asm, fr->cmd_buf, sizeof(fr->cmd_buf),
		     sizeof(fr->cmd_buf) - PCP_OVERHEAD);

	fr->root = root_device_register("paycard-spi-test");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fr->root);
	fr->domain = irq_domain_create_sim(NULL, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, fr->domain);
	fr->irq = irq_create_mapping(fr->domain, 0);
	KUNIT_ASSERT_GT(test, fr->irq, 0);

	fr->ctlr = spi_alloc_master(fr->root, sizeof(fr));
	KUNIT_ASSERT_NOT_NULL(test, fr->ctlr);
	*(struct fake_reader **)spi_controller_get_devdata(fr->ctlr) = fr;
	fr->ctlr->bus_num = -1;
	fr->ctlr->num_chipselect = 1;
	fr->ctlr->mode_bits = SPI_CPOL | SPI_CPHA | SPI_CS_HIGH;
	fr->ctlr->bits_per_word_mask = SPI_BPW_MASK(8);
	fr->ctlr->max_speed_hz = 20000000;
	fr->ctlr->transfer_one = fake_transfer_one;
	ret = spi_register_controller(fr->ctlr);
	if (ret)
		spi_controller_put(fr->ctlr);
	KUNIT_ASSERT_EQ(test, ret, 0);
	test->priv = fr;
	return 0;
}

static void fake_exit(struct kunit *test)
{
	struct fake_reader *fr = test->priv;

	if (!fr)
		return;
	if (fr->spi)
		spi_unregister_device(fr->spi);
	spi_unregister_controller(fr->ctlr);
	irq_dispose_mapping(fr->irq);
	irq_domain_remove_sim(fr->domain);
	root_device_unregister(fr->root);
	if (fr->swnode.properties)
		software_node_unregister(&fr->swnode);
}

/* Add the reader's device; the driver probes it before this returns. */
static struct spi_device *fake_add_device(struct fake_reader *fr, u32 hz,
					  u32 mode, bool with_irq)
{
	struct spi_board_info info = {
		.modalias = "reader-spi",
		.max_speed_hz = hz,
		.mode = mode,
		.irq = with_irq ? fr->irq : 0,
	};

	if (fr->swnode.properties) {
		KUNIT_ASSERT_EQ(fr->test, software_node_register(&fr->swnode),
				0);
		info.swnode = &fr->swnode;
	}
	fr->spi = spi_new_device(fr->ctlr, &info);
	KUNIT_ASSERT_NOT_NULL(fr->test, fr->spi);
	return fr->spi;
}

static void fake_set_block_props(struct fake_reader *fr, u32 block, u32 gap)
{
	fr->props[0] = PROPERTY_ENTRY_U32("paycard,block-size", block);
	fr->props[1] = PROPERTY_ENTRY_U32("paycard,block-gap-us", gap);
	fr->swnode.properties = fr->props;
}

static bool bound(struct spi_device *spi)
{
	return device_is_bound(&spi->dev);
}

/* Let the interrupt thread run until the reader's stream is drained. */
static bool fake_wait_drained(struct fake_reader *fr, unsigned int ms)
{
	unsigned long end = jiffies + msecs_to_jiffies(ms);
	bool drained;

	do {
		mutex_lock(&fr->lock);
		drained = fr->out_pos == fr->out_len;
		mutex_unlock(&fr->lock);
		if (drained)
			return true;
		msleep(20);
	} while (time_before(jiffies, end));
	return false;
}

static void expect_handshake(struct kunit *test, struct fake_reader *fr)
{
	KUNIT_EXPECT_EQ(test, fr->n_cmds, 2u);
	KUNIT_EXPECT_EQ(test, fr->cmd_codes[0], PCP_CMD_HELLO);
	KUNIT_EXPECT_EQ(test, fr->cmd_codes[1], PCP_CMD_GET_INFO);
	KUNIT_EXPECT_NE(test, fr->cmd_seqs[0], 0);
	KUNIT_EXPECT_NE(test, fr->cmd_seqs[1], fr->cmd_seqs[0]);
	KUNIT_EXPECT_EQ(test, fr->bad_host_headers, 0u);
	KUNIT_EXPECT_EQ(test, fr->cmd_asm.bad_crc, 0u);
	KUNIT_EXPECT_EQ(test, fr->cmd_asm.bad_magic, 0u);
}

/* Probe: HELLO and GET_INFO go out in blocks, answers come by interrupt. */
static void spi_binds_after_handshake_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);

	KUNIT_ASSERT_TRUE(test, bound(spi));
	expect_handshake(test, fr);
	KUNIT_EXPECT_EQ(test, fr->last_len, (unsigned int)PCP_SPI_BLOCK_DEFAULT);
	KUNIT_EXPECT_EQ(test, fr->out_pos, fr->out_len);
}

/* A 132-byte GET_INFO answer crosses several 32-byte blocks. */
static void spi_frames_span_blocks_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fake_set_block_props(fr, 32, 0);
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_ASSERT_TRUE(test, bound(spi));
	expect_handshake(test, fr);
	KUNIT_EXPECT_EQ(test, fr->last_len, 32u);
	/* 20 + 132 reader bytes in 30-byte slices, plus the two commands. */
	KUNIT_EXPECT_GE(test, fr->blocks, 2u + DIV_ROUND_UP(20 + 132, 30));
}

/* The smallest block (14 stream bytes) splits the commands as well. */
static void spi_commands_span_blocks_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fake_set_block_props(fr, PCP_SPI_BLOCK_MIN, 0);
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_ASSERT_TRUE(test, bound(spi));
	expect_handshake(test, fr);
	KUNIT_EXPECT_EQ(test, fr->last_len, (unsigned int)PCP_SPI_BLOCK_MIN);
	/* HELLO (20 bytes) and GET_INFO (16) need two blocks each. */
	KUNIT_EXPECT_GE(test, fr->blocks, 4u + DIV_ROUND_UP(20 + 132, 14));
}

static void spi_mode_and_speed_from_firmware_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi = fake_add_device(fr, 2000000, SPI_MODE_3,
						 true);

	KUNIT_ASSERT_TRUE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->last_speed_hz, 2000000u);
	KUNIT_EXPECT_EQ(test, fr->last_mode & SPI_MODE_X_MASK, (u32)SPI_MODE_3);
}

/* BUSY blocks are sent again, and each command reaches the reader once. */
static void spi_busy_reader_retried_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fr->busy_blocks = 3;
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_ASSERT_TRUE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->busy_sent, 3u);
	expect_handshake(test, fr);
}

/* A reader BUSY for longer than PCP_SPI_BUSY_TIMEOUT_MS fails the probe. */
static void spi_busy_forever_times_out_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	unsigned long start = jiffies;
	struct spi_device *spi;

	fr->busy_blocks = INT_MAX;
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_EXPECT_FALSE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->n_cmds, 0u);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start),
			(unsigned int)PCP_SPI_BUSY_TIMEOUT_MS);
}

/* A failing bus fails the command, so the probe, without a retry storm. */
static void spi_bus_error_fails_probe_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fr->fail_blocks = 1;
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_EXPECT_FALSE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->n_cmds, 0u);
	KUNIT_EXPECT_EQ(test, fr->blocks, 1u);
}

/*
 * An impossible header (MISO stuck high) fails the command instead of
 * sending its bytes again: the reader may have taken them already, and a
 * repeated APDU could run twice on the card.
 */
static void spi_garbled_header_not_resent_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fr->garbled_blocks = 1;
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_EXPECT_FALSE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->blocks, 1u);
}

/* No answer at all: the core's command timeout fails the probe. */
static void spi_silent_reader_not_bound_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fr->silent = true;
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_EXPECT_FALSE(test, bound(spi));
	/* HELLO, then the ABORT the core sends after the timeout. */
	KUNIT_ASSERT_EQ(test, fr->n_cmds, 2u);
	KUNIT_EXPECT_EQ(test, fr->cmd_codes[0], PCP_CMD_HELLO);
	KUNIT_EXPECT_EQ(test, fr->cmd_codes[1], PCP_CMD_ABORT);
}

static void spi_no_interrupt_refused_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi = fake_add_device(fr, 1000000, SPI_MODE_0, false);

	KUNIT_EXPECT_FALSE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->blocks, 0u);
}

static void spi_bad_block_size_refused_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fake_set_block_props(fr, PCP_SPI_BLOCK_MIN - 1, 0);
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_EXPECT_FALSE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->blocks, 0u);
}

static void spi_bad_gap_refused_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;

	fake_set_block_props(fr, 64, PCP_SPI_GAP_US_MAX + 1);
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_EXPECT_FALSE(test, bound(spi));
	KUNIT_EXPECT_EQ(test, fr->blocks, 0u);
}

/* After binding, an event is fetched by the data-ready interrupt alone. */
static void spi_event_read_on_interrupt_test(struct kunit *test)
{
	static const u8 key[PCP_KEY_EVENT_LEN] = { PCP_KEY_ENTER, 0, 0, 0 };
	struct fake_reader *fr = test->priv;
	struct spi_device *spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	unsigned int blocks;

	KUNIT_ASSERT_TRUE(test, bound(spi));
	mutex_lock(&fr->lock);
	blocks = fr->blocks;
	fake_queue_frame(fr, PCP_TYPE_EVENT, PCP_EVT_KEY, 1, 0, key,
			 sizeof(key));
	fake_queue_frame(fr, PCP_TYPE_EVENT, PCP_EVT_CARD_INSERTED, 2, 0,
			 NULL, 0);
	mutex_unlock(&fr->lock);
	fake_raise_data_ready(fr);
	KUNIT_EXPECT_TRUE(test, fake_wait_drained(fr, 2000));
	KUNIT_EXPECT_GT(test, fr->blocks, blocks);
	/* Reads carry no host data. */
	KUNIT_EXPECT_EQ(test, fr->n_cmds, 2u);
	KUNIT_EXPECT_EQ(test, fr->bad_host_headers, 0u);
}

/* A reader that always claims MORE cannot keep the handler forever. */
static void spi_endless_more_bounded_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi;
	unsigned int blocks, settled;

	fake_set_block_props(fr, 1024, 0);
	spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	KUNIT_ASSERT_TRUE(test, bound(spi));
	mutex_lock(&fr->lock);
	fr->stuck_more = true;
	blocks = fr->blocks;
	mutex_unlock(&fr->lock);
	fake_raise_data_ready(fr);
	msleep(500);
	mutex_lock(&fr->lock);
	settled = fr->blocks;
	mutex_unlock(&fr->lock);
	msleep(100);
	KUNIT_EXPECT_EQ(test, fr->blocks, settled);
	/*
	 * One interrupt drains at most 2 * ceil(65568 / 1022) + 2 blocks
	 * after the first: 133 in all.
	 */
	KUNIT_EXPECT_LE(test, settled - blocks, 2u * 65 + 3);
	KUNIT_EXPECT_GT(test, settled - blocks, 1u);
}

/* After unbind the interrupt is gone: no more blocks are clocked. */
static void spi_unbind_stops_io_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	unsigned int blocks;

	KUNIT_ASSERT_TRUE(test, bound(spi));
	spi_unregister_device(spi);
	fr->spi = NULL;
	mutex_lock(&fr->lock);
	blocks = fr->blocks;
	fake_queue_frame(fr, PCP_TYPE_EVENT, PCP_EVT_CARD_REMOVED, 3, 0,
			 NULL, 0);
	mutex_unlock(&fr->lock);
	fake_raise_data_ready(fr);
	msleep(50);
	KUNIT_EXPECT_EQ(test, fr->blocks, blocks);
}

/* Idle, the device runtime-suspends; data-ready resumes it for the read. */
static void spi_runtime_pm_test(struct kunit *test)
{
	struct fake_reader *fr = test->priv;
	struct spi_device *spi = fake_add_device(fr, 1000000, SPI_MODE_0, true);
	unsigned long end;

	if (!IS_ENABLED(CONFIG_PM))
		kunit_skip(test, "needs CONFIG_PM");
	KUNIT_ASSERT_TRUE(test, bound(spi));
	pm_runtime_set_autosuspend_delay(&spi->dev, 10);
	end = jiffies + msecs_to_jiffies(2000);
	while (!pm_runtime_suspended(&spi->dev) && time_before(jiffies, end))
		msleep(20);
	KUNIT_ASSERT_TRUE(test, pm_runtime_suspended(&spi->dev));

	mutex_lock(&fr->lock);
	fake_queue_frame(fr, PCP_TYPE_EVENT, PCP_EVT_CARD_INSERTED, 4, 0,
			 NULL, 0);
	mutex_unlock(&fr->lock);
	fake_raise_data_ready(fr);
	KUNIT_EXPECT_TRUE(test, fake_wait_drained(fr, 2000));
}

static struct kunit_case paycard_spi_test_cases[] = {
	KUNIT_CASE(spi_binds_after_handshake_test),
	KUNIT_CASE(spi_frames_span_blocks_test),
	KUNIT_CASE(spi_commands_span_blocks_test),
	KUNIT_CASE(spi_mode_and_speed_from_firmware_test),
	KUNIT_CASE(spi_busy_reader_retried_test),
	KUNIT_CASE(spi_busy_forever_times_out_test),
	KUNIT_CASE(spi_bus_error_fails_probe_test),
	KUNIT_CASE(spi_garbled_header_not_resent_test),
	KUNIT_CASE(spi_silent_reader_not_bound_test),
	KUNIT_CASE(spi_no_interrupt_refused_test),
	KUNIT_CASE(spi_bad_block_size_refused_test),
	KUNIT_CASE(spi_bad_gap_refused_test),
	KUNIT_CASE(spi_event_read_on_interrupt_test),
	KUNIT_CASE(spi_endless_more_bounded_test),
	KUNIT_CASE(spi_unbind_stops_io_test),
	KUNIT_CASE(spi_runtime_pm_test),
	{}
};

static struct kunit_suite paycard_spi_test_suite = {
	.name = "paycard_spi",
	.init = fake_init,
	.exit = fake_exit,
	.test_cases = paycard_spi_test_cases,
};

kunit_test_suite(paycard_spi_test_suite);

MODULE_DESCRIPTION("KUnit tests for the paycard SPI transport");
MODULE_LICENSE("GPL");
