// SPDX-License-Identifier: GPL-2.0
/*
 * paycard_vspi: a test-only SPI controller for the VM scenarios.
 *
 * It plays the reader's side of the SPI block layer (kernel/paycard_spi.h)
 * and hands the byte stream inside the blocks to a userspace reader
 * emulator through /dev/paycard-vspi, so the emulator that serves USB over
 * FunctionFS serves SPI too with the same stream code:
 *
 *   read()   the host's stream bytes (commands), as from a bulk OUT endpoint
 *   write()  the reader's stream bytes (responses, events), as to bulk IN;
 *            blocks while 128 KiB are queued and the host is not reading
 *   poll()   EPOLLIN when host bytes wait, EPOLLOUT when there is room
 *
 * Opening the device plugs the reader: an SPI device "reader-spi" appears
 * on this controller with a data-ready interrupt from a one-line interrupt
 * domain, and paycard_spi binds to it (its probe sends HELLO and GET_INFO,
 * which the emulator answers).  Closing unplugs it.  One opener at a time.
 *
 * transfer_one() never waits for userspace: it answers each block from the
 * queues as a DMA-driven firmware would (its block is the bytes already
 * written; it answers BUSY when the host's bytes do not fit the read queue)
 * and raises data-ready while written bytes remain.  Never load this on a
 * machine with a real reader.
 *
 * Block-level faults on demand, for the SPI scenarios of tests/vm (module
 * parameters, writable at run time in /sys/module/paycard_vspi/parameters):
 *
 *   busy_blocks    the next N blocks that carry host bytes are answered
 *                  BUSY and their bytes dropped (a reader whose receive
 *                  buffer stays full); counts down
 *   garble_blocks  the next N blocks are answered with header 0xffff, as
 *                  with MISO floating; the host's bytes are still taken
 *                  and the reader's stay queued; counts down
 *   endless_more   every block says MORE, also with nothing left (a
 *                  reader that never clears it)
 *   blocks         (read only) blocks clocked since the module loaded
 */
#include <linux/fs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kfifo.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <linux/spi/spi.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../../kernel/paycard_compat.h"
#include "../../kernel/paycard_spi.h"

#define VSPI_FIFO_SIZE	(128 * 1024)	/* two largest frames each way */

static unsigned int block_size = PCP_SPI_BLOCK_DEFAULT;
module_param(block_size, uint, 0444);
MODULE_PARM_DESC(block_size, "SPI block size in bytes (16..4096)");
static unsigned int speed_hz = 1000000;
module_param(speed_hz, uint, 0444);
MODULE_PARM_DESC(speed_hz, "spi-max-frequency of the reader");
static unsigned int spi_mode = SPI_MODE_0;
module_param(spi_mode, uint, 0444);
MODULE_PARM_DESC(spi_mode, "SPI mode 0..3");

/* Faults and the block count (see the top comment); under vspi.lock. */
static unsigned int busy_blocks;
module_param(busy_blocks, uint, 0644);
MODULE_PARM_DESC(busy_blocks, "answer BUSY to the next N blocks with host bytes");
static unsigned int garble_blocks;
module_param(garble_blocks, uint, 0644);
MODULE_PARM_DESC(garble_blocks, "answer header 0xffff to the next N blocks");
static bool endless_more;
module_param(endless_more, bool, 0644);
MODULE_PARM_DESC(endless_more, "set MORE in every block");
static unsigned long blocks;
module_param(blocks, ulong, 0444);
MODULE_PARM_DESC(blocks, "blocks clocked so far");

#define VSPI_GARBLED_HDR	0xffff

struct vspi {
	struct device *root;
	struct spi_controller *ctlr;
	struct spi_device *spi;
	struct irq_domain *domain;
	int irq;
	struct miscdevice misc;
	struct work_struct plug_work;
	struct mutex plug_lock;		/* spi, plugged */
	struct mutex copy_lock;		/* user copies in and out of the queues */
	bool plugged;
	struct property_entry props[2];
	struct software_node swnode;

	spinlock_t lock;		/* the queues */
	DECLARE_KFIFO_PTR(to_user, u8);	/* host -> reader */
	DECLARE_KFIFO_PTR(to_host, u8);	/* reader -> host */
	wait_queue_head_t wait;
	atomic_t open;
};

static struct vspi *the_vspi;

static void vspi_data_ready(struct vspi *vs)
{
	generic_handle_irq_safe(vs->irq);
}

static int vspi_transfer_one(struct spi_controller *ctlr,
			     struct spi_device *spi, struct spi_transfer *xfer)
{
	struct vspi *vs = spi_controller_get_devdata(ctlr);
	const u8 *tx = xfer->tx_buf;
	u8 *rx = xfer->rx_buf;
	size_t room = xfer->len - PCP_SPI_HDR_LEN;
	unsigned int count, host_count;
	bool pending;
	u16 hdr;

	if (!tx || !rx || xfer->len < PCP_SPI_BLOCK_MIN)
		return -EINVAL;
	host_count = get_unaligned_le16(tx) & PCP_SPI_COUNT_MASK;
	if (host_count > room)
		host_count = 0;		/* a broken host header: ignore bytes */

	memset(rx, 0, xfer->len);
	spin_lock_bh(&vs->lock);
	blocks++;
	if (garble_blocks) {
		/* the reader's bytes were not seen by the host: they stay */
		garble_blocks--;
		count = 0;
		hdr = VSPI_GARBLED_HDR;
	} else {
		count = kfifo_out(&vs->to_host, rx + PCP_SPI_HDR_LEN, room);
		hdr = count;
		if (!kfifo_is_empty(&vs->to_host) || endless_more)
			hdr |= PCP_SPI_MORE;
	}
	if (host_count && busy_blocks) {
		busy_blocks--;
		hdr |= PCP_SPI_BUSY;
	} else if (host_count > kfifo_avail(&vs->to_user)) {
		hdr |= PCP_SPI_BUSY;	/* the host sends them again */
	} else {
		kfifo_in(&vs->to_user, tx + PCP_SPI_HDR_LEN, host_count);
	}
	pending = !kfifo_is_empty(&vs->to_host);
	spin_unlock_bh(&vs->lock);
	put_unaligned_le16(hdr, rx);

	/* Readers of host bytes and writers waiting for room. */
	if (host_count || count)
		wake_up_interruptible(&vs->wait);
	if (pending)
		vspi_data_ready(vs);
	return 0;
}

static void vspi_plug(struct work_struct *work)
{
	struct vspi *vs = container_of(work, struct vspi, plug_work);
	struct spi_board_info info = {
		.modalias = "reader-spi",
		.max_speed_hz = speed_hz,
		.mode = spi_mode & SPI_MODE_X_MASK,
		.swnode = &vs->swnode,
	};

	mutex_lock(&vs->plug_lock);
	if (vs->plugged && !vs->spi) {
		info.irq = vs->irq;
		/* paycard_spi probes here, talking to the emulator. */
		vs->spi = spi_new_device(vs->ctlr, &info);
		if (!vs->spi)
			dev_err(vs->misc.this_device, "adding the reader failed\n");
	}
	mutex_unlock(&vs->plug_lock);
}

static void vspi_unplug(struct vspi *vs)
{
	mutex_lock(&vs->plug_lock);
	vs->plugged = false;
	mutex_unlock(&vs->plug_lock);
	/* A plug in progress finishes first; then the reader goes away. */
	flush_work(&vs->plug_work);
	mutex_lock(&vs->plug_lock);
	if (vs->spi) {
		spi_unregister_device(vs->spi);
		vs->spi = NULL;
	}
	mutex_unlock(&vs->plug_lock);
	spin_lock_bh(&vs->lock);
	kfifo_reset(&vs->to_user);
	kfifo_reset(&vs->to_host);
	spin_unlock_bh(&vs->lock);
}

static int vspi_open(struct inode *inode, struct file *file)
{
	struct vspi *vs = the_vspi;

	if (atomic_cmpxchg(&vs->open, 0, 1))
		return -EBUSY;
	file->private_data = vs;
	mutex_lock(&vs->plug_lock);
	vs->plugged = true;
	mutex_unlock(&vs->plug_lock);
	schedule_work(&vs->plug_work);
	return stream_open(inode, file);
}

static int vspi_release(struct inode *inode, struct file *file)
{
	struct vspi *vs = file->private_data;

	vspi_unplug(vs);
	atomic_set(&vs->open, 0);
	return 0;
}

static ssize_t vspi_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct vspi *vs = file->private_data;
	unsigned int copied;
	int ret;

	for (;;) {
		spin_lock_bh(&vs->lock);
		ret = kfifo_is_empty(&vs->to_user) ? 0 : 1;
		spin_unlock_bh(&vs->lock);
		if (ret)
			break;
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(vs->wait,
					       !kfifo_is_empty(&vs->to_user));
		if (ret)
			return ret;
	}
	/*
	 * kfifo_to_user() may fault, so not under the spinlock; one reader
	 * and one writer per queue need no more than copy_lock.
	 */
	mutex_lock(&vs->copy_lock);
	ret = kfifo_to_user(&vs->to_user, buf, count, &copied);
	mutex_unlock(&vs->copy_lock);
	return ret ? ret : copied;
}

/* Blocks while the queue to the host is full (the host reads blocks). */
static ssize_t vspi_write(struct file *file, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	struct vspi *vs = file->private_data;
	unsigned int copied;
	size_t done = 0;
	int ret;

	while (done < count) {
		if (kfifo_is_full(&vs->to_host)) {
			if (file->f_flags & O_NONBLOCK)
				return done ? done : -EAGAIN;
			ret = wait_event_interruptible(vs->wait,
						       !kfifo_is_full(&vs->to_host));
			if (ret)
				return done ? done : ret;
		}
		mutex_lock(&vs->copy_lock);
		ret = kfifo_from_user(&vs->to_host, buf + done, count - done,
				      &copied);
		mutex_unlock(&vs->copy_lock);
		if (ret)
			return done ? done : ret;
		done += copied;
		vspi_data_ready(vs);
	}
	return done;
}

static __poll_t vspi_poll(struct file *file, poll_table *wait)
{
	struct vspi *vs = file->private_data;
	__poll_t mask = 0;

	poll_wait(file, &vs->wait, wait);
	spin_lock_bh(&vs->lock);
	if (!kfifo_is_empty(&vs->to_user))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (!kfifo_is_full(&vs->to_host))
		mask |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock_bh(&vs->lock);
	return mask;
}

static const struct file_operations vspi_fops = {
	.owner = THIS_MODULE,
	.open = vspi_open,
	.release = vspi_release,
	.read = vspi_read,
	.write = vspi_write,
	.poll = vspi_poll,
};

static int vspi_irq_map(struct irq_domain *d, unsigned int virq,
			irq_hw_number_t hw)
{
	irq_set_chip_and_handler(virq, &dummy_irq_chip, handle_simple_irq);
	return 0;
}

static const struct irq_domain_ops vspi_irq_ops = {
	.map = vspi_irq_map,
};

static int vspi_setup_controller(struct vspi *vs)
{
	int ret;

	vs->ctlr = spi_alloc_master(vs->root, 0);
	if (!vs->ctlr)
		return -ENOMEM;
	spi_controller_set_devdata(vs->ctlr, vs);
	vs->ctlr->bus_num = -1;
	vs->ctlr->num_chipselect = 1;
	vs->ctlr->mode_bits = SPI_CPOL | SPI_CPHA;
	vs->ctlr->bits_per_word_mask = SPI_BPW_MASK(8);
	vs->ctlr->max_speed_hz = 50000000;
	vs->ctlr->transfer_one = vspi_transfer_one;
	ret = spi_register_controller(vs->ctlr);
	if (ret)
		spi_controller_put(vs->ctlr);
	return ret;
}

static int __init vspi_init(void)
{
	struct vspi *vs;
	int ret;

	if (block_size < PCP_SPI_BLOCK_MIN || block_size > PCP_SPI_BLOCK_MAX)
		return -EINVAL;
	vs = kzalloc(sizeof(*vs), GFP_KERNEL);
	if (!vs)
		return -ENOMEM;
	spin_lock_init(&vs->lock);
	mutex_init(&vs->plug_lock);
	mutex_init(&vs->copy_lock);
	init_waitqueue_head(&vs->wait);
	INIT_WORK(&vs->plug_work, vspi_plug);
	vs->props[0] = PROPERTY_ENTRY_U32("paycard,block-size", block_size);
	vs->swnode.properties = vs->props;
	ret = kfifo_alloc(&vs->to_user, VSPI_FIFO_SIZE, GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = kfifo_alloc(&vs->to_host, VSPI_FIFO_SIZE, GFP_KERNEL);
	if (ret)
		goto err_fifo;

	vs->root = root_device_register("paycard-vspi");
	if (IS_ERR(vs->root)) {
		ret = PTR_ERR(vs->root);
		goto err_fifo2;
	}
	vs->domain = irq_domain_create_linear(NULL, 1, &vspi_irq_ops, vs);
	if (!vs->domain) {
		ret = -ENOMEM;
		goto err_root;
	}
	vs->irq = irq_create_mapping(vs->domain, 0);
	if (!vs->irq) {
		ret = -ENOMEM;
		goto err_domain;
	}
	ret = vspi_setup_controller(vs);
	if (ret)
		goto err_mapping;

	vs->misc.minor = MISC_DYNAMIC_MINOR;
	vs->misc.name = "paycard-vspi";
	vs->misc.fops = &vspi_fops;
	the_vspi = vs;
	ret = misc_register(&vs->misc);
	if (ret)
		goto err_ctlr;
	return 0;

err_ctlr:
	spi_unregister_controller(vs->ctlr);
err_mapping:
	irq_dispose_mapping(vs->irq);
err_domain:
	irq_domain_remove(vs->domain);
err_root:
	root_device_unregister(vs->root);
err_fifo2:
	kfifo_free(&vs->to_host);
err_fifo:
	kfifo_free(&vs->to_user);
err_free:
	kfree(vs);
	return ret;
}

static void __exit vspi_exit(void)
{
	struct vspi *vs = the_vspi;

	misc_deregister(&vs->misc);
	spi_unregister_controller(vs->ctlr);
	irq_dispose_mapping(vs->irq);
	irq_domain_remove(vs->domain);
	root_device_unregister(vs->root);
	kfifo_free(&vs->to_host);
	kfifo_free(&vs->to_user);
	kfree(vs);
}

module_init(vspi_init);
module_exit(vspi_exit);

MODULE_DESCRIPTION("paycard test-only SPI controller backed by a userspace reader emulator");
MODULE_LICENSE("GPL");
