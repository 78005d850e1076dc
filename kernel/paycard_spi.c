// SPDX-License-Identifier: GPL-2.0
/*
 * paycard SPI transport.
 *
 * Carries the PCP frame stream in fixed-size full-duplex blocks (see
 * paycard_spi.h for the block layout and docs/vendor-guide.md for the
 * rules a reader's firmware follows).  The reader raises a data-ready
 * interrupt while it has bytes to send; the threaded handler clocks blocks
 * until the reader reports nothing more.  Commands from the core are sent
 * synchronously from ops->send, block by block, retrying while the reader
 * answers BUSY.  Both paths run under io_lock, so the core's receive path
 * is never entered twice at once.
 *
 * Matching: device tree ("paycard,reader-spi"), ACPI (PCRD0001, or PRP0001
 * with the DT compatible) and the SPI id table.  Mode and bus speed come
 * from the firmware description (spi-cpol/spi-cpha, spi-max-frequency);
 * the block size and inter-block gap from "paycard,block-size" and
 * "paycard,block-gap-us".  An optional "wake" GPIO lets the reader sleep
 * while the host is runtime suspended.
 */
#include <linux/acpi.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/gpio/consumer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pm.h>
#include <linux/pm_runtime.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>
#include <linux/string.h>
#include <paycard/protocol.h>

#include "paycard_compat.h"
#include "paycard_core.h"
#include "paycard_spi.h"

/* Idle time before the host lets the reader sleep (runtime suspend). */
#define PAYCARD_SPI_AUTOSUSPEND_MS	1000
/* Time a reader needs after its wake line rises before it clocks blocks. */
#define PAYCARD_SPI_WAKE_US		500

/*
 * Most blocks one data-ready interrupt may drain: enough for the largest
 * frame twice over, so a reader stuck reporting MORE cannot hold the
 * handler forever.
 */
#define PAYCARD_SPI_DRAIN_MAX_BLOCKS(block) \
	(2 * DIV_ROUND_UP(PCP_MAX_FRAME, (block) - PCP_SPI_HDR_LEN) + 2)

struct paycard_spi {
	struct spi_device *spi;
	struct paycard_device *pd;
	struct gpio_desc *wake_gpio;
	/* Serialises block exchanges and with them paycard_receive_bytes(). */
	struct mutex io_lock;
	u8 *tx;				/* one block each way, wiped after use */
	u8 *rx;
	u32 block_size;
	u32 gap_us;
};

/*
 * Exchange one block: send up to block_size - 2 bytes of @out and hand
 * whatever the reader sent to the core.  @accepted tells whether the
 * reader took @out (not BUSY), @more whether it has further bytes waiting.
 * Return: 0, -EPROTO for a header that cannot be right (MISO floating,
 * reader out of step), or the bus error.
 */
static int paycard_spi_exchange(struct paycard_spi *ps, const u8 *out,
				size_t out_len, bool *accepted, bool *more)
{
	struct spi_transfer xfer = {
		.tx_buf = ps->tx,
		.rx_buf = ps->rx,
		.len = ps->block_size,
	};
	size_t count;
	u16 hdr;
	int ret;

	*accepted = false;
	*more = false;
	put_unaligned_le16(out_len, ps->tx);
	if (out_len)
		memcpy(ps->tx + PCP_SPI_HDR_LEN, out, out_len);
	memset(ps->tx + PCP_SPI_HDR_LEN + out_len, 0,
	       ps->block_size - PCP_SPI_HDR_LEN - out_len);

	ret = spi_sync_transfer(ps->spi, &xfer, 1);
	/* Command bytes may carry an APDU with an enciphered PIN. */
	memzero_explicit(ps->tx, PCP_SPI_HDR_LEN + out_len);
	if (ret) {
		dev_err_ratelimited(&ps->spi->dev, "SPI transfer failed: %d\n",
				    ret);
		memzero_explicit(ps->rx, ps->block_size);
		return ret;
	}

	hdr = get_unaligned_le16(ps->rx);
	count = hdr & PCP_SPI_COUNT_MASK;
	if (count > ps->block_size - PCP_SPI_HDR_LEN) {
		dev_warn_ratelimited(&ps->spi->dev,
				     "bad block header 0x%04x from reader\n",
				     hdr);
		memzero_explicit(ps->rx, ps->block_size);
		return -EPROTO;
	}
	*accepted = !(hdr & PCP_SPI_BUSY);
	*more = hdr & PCP_SPI_MORE;
	if (count)
		paycard_receive_bytes(ps->pd, ps->rx + PCP_SPI_HDR_LEN, count);
	/* Received bytes may be track data or key presses. */
	memzero_explicit(ps->rx, PCP_SPI_HDR_LEN + count);
	return 0;
}

/*
 * Send @len bytes (possibly none) and keep clocking while the reader has
 * more.  A block the reader answers BUSY is sent again every
 * PCP_SPI_BUSY_RETRY_US until PCP_SPI_BUSY_TIMEOUT_MS pass without
 * progress.  A garbled header is not retried: the reader may have taken the
 * bytes, and sending a command twice could run an APDU twice on the card,
 * so the command fails and the core reports it.  Called with io_lock held.
 */
static int paycard_spi_pump(struct paycard_spi *ps, const u8 *buf, size_t len)
{
	size_t room = ps->block_size - PCP_SPI_HDR_LEN;
	unsigned long deadline = jiffies +
				 msecs_to_jiffies(PCP_SPI_BUSY_TIMEOUT_MS);
	unsigned int drained = 0;
	bool accepted, more;
	size_t chunk;
	int ret;

	for (;;) {
		chunk = min(len, room);
		ret = paycard_spi_exchange(ps, buf, chunk, &accepted, &more);
		if (ret)
			return ret;
		if (chunk && !accepted) {
			if (time_after(jiffies, deadline))
				return -ETIMEDOUT;
			usleep_range(PCP_SPI_BUSY_RETRY_US,
				     2 * PCP_SPI_BUSY_RETRY_US);
			continue;
		}
		if (chunk) {
			buf += chunk;
			len -= chunk;
			deadline = jiffies +
				   msecs_to_jiffies(PCP_SPI_BUSY_TIMEOUT_MS);
			if (len)
				continue;
		}
		if (!more)
			return 0;
		if (++drained > PAYCARD_SPI_DRAIN_MAX_BLOCKS(ps->block_size)) {
			dev_warn_ratelimited(&ps->spi->dev,
					     "reader keeps reporting more data\n");
			return -EPROTO;
		}
	}
}

static irqreturn_t paycard_spi_data_ready(int irq, void *data)
{
	struct paycard_spi *ps = data;
	struct device *dev = &ps->spi->dev;

	if (pm_runtime_resume_and_get(dev) < 0)
		return IRQ_NONE;
	mutex_lock(&ps->io_lock);
	paycard_spi_pump(ps, NULL, 0);
	mutex_unlock(&ps->io_lock);
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
	return IRQ_HANDLED;
}

static int paycard_spi_send(struct paycard_device *pd, const u8 *buf,
			    size_t len)
{
	struct paycard_spi *ps = paycard_get_drvdata(pd);
	struct device *dev = &ps->spi->dev;
	int ret;

	ret = pm_runtime_resume_and_get(dev);
	if (ret < 0)
		return ret;
	mutex_lock(&ps->io_lock);
	ret = paycard_spi_pump(ps, buf, len);
	mutex_unlock(&ps->io_lock);
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
	return ret;
}

static const struct paycard_transport_ops paycard_spi_ops = {
	.send = paycard_spi_send,
};

/* Block size, gap and bus parameters from the firmware description. */
static int paycard_spi_configure(struct paycard_spi *ps)
{
	struct spi_device *spi = ps->spi;
	struct device *dev = &spi->dev;
	int inactive_ns;

	ps->block_size = PCP_SPI_BLOCK_DEFAULT;
	device_property_read_u32(dev, "paycard,block-size", &ps->block_size);
	if (ps->block_size < PCP_SPI_BLOCK_MIN ||
	    ps->block_size > PCP_SPI_BLOCK_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "paycard,block-size %u not in %u..%u\n",
				     ps->block_size, PCP_SPI_BLOCK_MIN,
				     PCP_SPI_BLOCK_MAX);
	ps->gap_us = PCP_SPI_GAP_US_DEFAULT;
	device_property_read_u32(dev, "paycard,block-gap-us", &ps->gap_us);
	if (ps->gap_us > PCP_SPI_GAP_US_MAX)
		return dev_err_probe(dev, -EINVAL,
				     "paycard,block-gap-us %u above %u\n",
				     ps->gap_us, PCP_SPI_GAP_US_MAX);

	/*
	 * The reader prepares its next block while chip select is inactive,
	 * so the gap must follow the release of chip select: the core runs
	 * cs_inactive there, whereas a transfer's own delay runs before it.
	 * A longer delay from the firmware description is kept.
	 */
	inactive_ns = spi_delay_to_ns(&spi->cs_inactive, NULL);
	if (inactive_ns < 0 || (u32)inactive_ns < ps->gap_us * NSEC_PER_USEC) {
		spi->cs_inactive.value = ps->gap_us;
		spi->cs_inactive.unit = SPI_DELAY_UNIT_USECS;
	}

	/*
	 * Mode and clock come from the firmware description (the binding
	 * requires spi-max-frequency); only the word size is ours.
	 */
	spi->bits_per_word = 8;
	return spi_setup(spi);
}

static int paycard_spi_probe(struct spi_device *spi)
{
	struct device *dev = &spi->dev;
	struct paycard_spi *ps;
	int ret;

	if (spi->irq <= 0)
		return dev_err_probe(dev, -EINVAL,
				     "no data-ready interrupt described\n");

	ps = devm_kzalloc(dev, sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return -ENOMEM;
	ps->spi = spi;
	mutex_init(&ps->io_lock);
	ret = paycard_spi_configure(ps);
	if (ret)
		return ret;
	ps->tx = devm_kzalloc(dev, ps->block_size, GFP_KERNEL);
	ps->rx = devm_kzalloc(dev, ps->block_size, GFP_KERNEL);
	if (!ps->tx || !ps->rx)
		return -ENOMEM;
	ps->wake_gpio = devm_gpiod_get_optional(dev, "wake", GPIOD_OUT_HIGH);
	if (IS_ERR(ps->wake_gpio))
		return dev_err_probe(dev, PTR_ERR(ps->wake_gpio),
				     "wake GPIO\n");

	pm_runtime_set_autosuspend_delay(dev, PAYCARD_SPI_AUTOSUSPEND_MS);
	pm_runtime_use_autosuspend(dev);
	pm_runtime_set_active(dev);
	pm_runtime_get_noresume(dev);
	ret = devm_pm_runtime_enable(dev);
	if (ret)
		goto out_pm_put;

	ps->pd = paycard_alloc(dev, &paycard_spi_ops, "spi");
	if (IS_ERR(ps->pd)) {
		ret = PTR_ERR(ps->pd);
		goto out_pm_put;
	}
	paycard_set_drvdata(ps->pd, ps);
	spi_set_drvdata(spi, ps);

	/* Trigger type (level or edge) comes from the firmware description. */
	ret = request_threaded_irq(spi->irq, NULL, paycard_spi_data_ready,
				   IRQF_ONESHOT, dev_name(dev), ps);
	if (ret) {
		dev_err_probe(dev, ret, "data-ready interrupt %d\n", spi->irq);
		goto out_put;
	}

	ret = paycard_register(ps->pd);
	if (ret) {
		dev_err_probe(dev, ret, "reader did not identify itself\n");
		goto out_free_irq;
	}
	pm_runtime_mark_last_busy(dev);
	pm_runtime_put_autosuspend(dev);
	return 0;

out_free_irq:
	free_irq(spi->irq, ps);
out_put:
	paycard_put(ps->pd);
out_pm_put:
	pm_runtime_put_noidle(dev);
	return ret;
}

static void paycard_spi_remove(struct spi_device *spi)
{
	struct paycard_spi *ps = spi_get_drvdata(spi);

	/* The core stops sending first, then reception stops, then we let go. */
	paycard_unregister(ps->pd);
	free_irq(spi->irq, ps);
	paycard_put(ps->pd);
}

static int paycard_spi_runtime_suspend(struct device *dev)
{
	struct paycard_spi *ps = dev_get_drvdata(dev);

	/* The reader may sleep; it still raises data-ready for new events. */
	gpiod_set_value_cansleep(ps->wake_gpio, 0);
	return 0;
}

static int paycard_spi_runtime_resume(struct device *dev)
{
	struct paycard_spi *ps = dev_get_drvdata(dev);

	if (ps->wake_gpio) {
		gpiod_set_value_cansleep(ps->wake_gpio, 1);
		usleep_range(PAYCARD_SPI_WAKE_US, 2 * PAYCARD_SPI_WAKE_US);
	}
	return 0;
}

static int paycard_spi_suspend(struct device *dev)
{
	struct paycard_spi *ps = dev_get_drvdata(dev);
	int ret;

	ret = paycard_suspend(ps->pd);
	if (ret)
		return ret;
	disable_irq(ps->spi->irq);
	if (device_may_wakeup(dev))
		enable_irq_wake(ps->spi->irq);
	return pm_runtime_force_suspend(dev);
}

static int paycard_spi_resume(struct device *dev)
{
	struct paycard_spi *ps = dev_get_drvdata(dev);
	int ret;

	ret = pm_runtime_force_resume(dev);
	if (ret)
		return ret;
	if (device_may_wakeup(dev))
		disable_irq_wake(ps->spi->irq);
	enable_irq(ps->spi->irq);
	return paycard_resume(ps->pd);
}

static const struct dev_pm_ops paycard_spi_pm_ops = {
	SYSTEM_SLEEP_PM_OPS(paycard_spi_suspend, paycard_spi_resume)
	RUNTIME_PM_OPS(paycard_spi_runtime_suspend, paycard_spi_runtime_resume,
		       NULL)
};

static const struct of_device_id paycard_spi_of_match[] = {
	{ .compatible = "paycard,reader-spi" },
	{ }
};
MODULE_DEVICE_TABLE(of, paycard_spi_of_match);

/* PCRD0001 is the ID the test firmware uses; vendors add their own here. */
static const struct acpi_device_id paycard_spi_acpi_match[] __maybe_unused = {
	{ "PCRD0001", 0 },
	{ }
};
MODULE_DEVICE_TABLE(acpi, paycard_spi_acpi_match);

static const struct spi_device_id paycard_spi_ids[] = {
	{ "reader-spi", 0 },
	{ }
};
MODULE_DEVICE_TABLE(spi, paycard_spi_ids);

static struct spi_driver paycard_spi_driver = {
	.driver = {
		.name = "paycard-spi",
		.of_match_table = paycard_spi_of_match,
		.acpi_match_table = ACPI_PTR(paycard_spi_acpi_match),
		.pm = pm_ptr(&paycard_spi_pm_ops),
	},
	.probe = paycard_spi_probe,
	.remove = paycard_spi_remove,
	.id_table = paycard_spi_ids,
};
module_spi_driver(paycard_spi_driver);

MODULE_DESCRIPTION("paycard card reader SPI transport");
MODULE_LICENSE("GPL");
