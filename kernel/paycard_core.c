// SPDX-License-Identifier: GPL-2.0
/*
 * paycard core: reader instances, their lifetime, the "paycard" class with
 * its sysfs attributes, and the transport-facing API of paycard_core.h.
 *
 * Lifetime follows drivers/char/tpm: the instance embeds its class device,
 * whose refcount is held by the transport (until paycard_put()) and by
 * every open file; the release callback frees the memory, so an unplug
 * with the file still open leaves a dead but valid instance behind.
 */
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "paycard_priv.h"

#define PAYCARD_MINORS	256

static dev_t paycard_devt;
static DEFINE_IDA(paycard_minors);

/*
 * /sys/module/paycard/parameters/abi_version: userspace checks it before
 * using the ioctls.  It describes this build, so setting it is refused.
 */
static int paycard_abi_version_set(const char *val,
				   const struct kernel_param *kp)
{
	return -EPERM;
}

static const struct kernel_param_ops paycard_abi_version_ops = {
	.set = paycard_abi_version_set,
	.get = param_get_uint,
};

static unsigned int abi_version = PAYCARD_ABI_VERSION;
module_param_cb(abi_version, &paycard_abi_version_ops, &abi_version, 0444);
MODULE_PARM_DESC(abi_version, "ABI version of <linux/paycard.h> (read-only)");

static struct paycard_device *to_paycard(struct device *dev)
{
	return container_of(dev, struct paycard_device, dev);
}

static ssize_t model_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", to_paycard(dev)->info.model);
}
static DEVICE_ATTR_RO(model);

static ssize_t serial_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", to_paycard(dev)->info.serial);
}
static DEVICE_ATTR_RO(serial);

static ssize_t firmware_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_paycard(dev)->info.firmware);
}
static DEVICE_ATTR_RO(firmware);

static ssize_t protocol_version_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	struct paycard_info *info = &to_paycard(dev)->info;

	return sysfs_emit(buf, "%u.%u\n", info->proto_major,
			  info->proto_minor);
}
static DEVICE_ATTR_RO(protocol_version);

static ssize_t caps_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "0x%08x\n", to_paycard(dev)->info.caps);
}
static DEVICE_ATTR_RO(caps);

static ssize_t transport_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", to_paycard(dev)->transport);
}
static DEVICE_ATTR_RO(transport);

static struct attribute *paycard_attrs[] = {
	&dev_attr_model.attr,
	&dev_attr_serial.attr,
	&dev_attr_firmware.attr,
	&dev_attr_protocol_version.attr,
	&dev_attr_caps.attr,
	&dev_attr_transport.attr,
	NULL,
};
ATTRIBUTE_GROUPS(paycard);

static struct class paycard_class = {
	.name = "paycard",
	.dev_groups = paycard_groups,
};

static void paycard_dev_release(struct device *dev)
{
	struct paycard_device *pd = to_paycard(dev);

	del_timer_sync(&pd->rx_idle);
	kvfree_sensitive(pd->rx_buf, PCP_OVERHEAD + PCP_MAX_PAYLOAD);
	kvfree_sensitive(pd->rsp_buf, PCP_MAX_PAYLOAD);
	kvfree_sensitive(pd->tx_buf, PCP_MAX_FRAME);
	ida_free(&paycard_minors, MINOR(dev->devt));
	/* the event ring may still hold track data or key presses */
	kfree_sensitive(pd);
}

struct paycard_device *paycard_alloc(struct device *parent,
				     const struct paycard_transport_ops *ops,
				     const char *transport)
{
	struct paycard_device *pd;
	int minor;

	if (!ops || !ops->send)
		return ERR_PTR(-EINVAL);
	pd = kzalloc(sizeof(*pd), GFP_KERNEL);
	if (!pd)
		return ERR_PTR(-ENOMEM);
	minor = ida_alloc_max(&paycard_minors, PAYCARD_MINORS - 1, GFP_KERNEL);
	if (minor < 0) {
		kfree(pd);
		return ERR_PTR(minor);
	}

	pd->ops = ops;
	init_rwsem(&pd->ops_sem);
	mutex_init(&pd->cmd_lock);
	spin_lock_init(&pd->lock);
	init_completion(&pd->cmd.done);
	init_waitqueue_head(&pd->read_wait);
	timer_setup(&pd->rx_idle, paycard_rx_idle_expired, 0);
	strscpy(pd->transport, transport, sizeof(pd->transport));

	/* From here on the release callback undoes everything. */
	device_initialize(&pd->dev);
	pd->dev.class = &paycard_class;
	pd->dev.parent = parent;
	pd->dev.devt = MKDEV(MAJOR(paycard_devt), minor);
	pd->dev.release = paycard_dev_release;

	pd->rx_buf = kvzalloc(PCP_OVERHEAD + PCP_MAX_PAYLOAD, GFP_KERNEL);
	pd->rsp_buf = kvzalloc(PCP_MAX_PAYLOAD, GFP_KERNEL);
	pd->tx_buf = kvzalloc(PCP_MAX_FRAME, GFP_KERNEL);
	if (!pd->rx_buf || !pd->rsp_buf || !pd->tx_buf) {
		put_device(&pd->dev);
		return ERR_PTR(-ENOMEM);
	}
	pcp_asm_init(&pd->rx_asm, pd->rx_buf, PCP_OVERHEAD + PCP_MAX_PAYLOAD,
		     PCP_MAX_PAYLOAD);

	if (dev_set_name(&pd->dev, "paycard%d", minor)) {
		put_device(&pd->dev);
		return ERR_PTR(-ENOMEM);
	}
	cdev_init(&pd->cdev, &paycard_fops);
	pd->cdev.owner = THIS_MODULE;
	return pd;
}
EXPORT_SYMBOL_GPL(paycard_alloc);

int paycard_register(struct paycard_device *pd)
{
	int ret;

	ret = paycard_handshake(pd);
	if (ret) {
		dev_err(pd->dev.parent, "reader handshake failed: %d\n", ret);
		return ret;
	}
	ret = cdev_device_add(&pd->cdev, &pd->dev);
	if (ret)
		return ret;
	dev_info(&pd->dev, "%s reader \"%s\" firmware %s protocol %u.%u\n",
		 pd->transport, pd->info.model, pd->info.firmware,
		 pd->info.proto_major, pd->info.proto_minor);
	return 0;
}
EXPORT_SYMBOL_GPL(paycard_register);

void paycard_unregister(struct paycard_device *pd)
{
	spin_lock_irq(&pd->lock);
	pd->dead = true;
	if (pd->cmd.state == PAYCARD_CMD_PENDING) {
		pd->cmd.state = PAYCARD_CMD_GONE;
		complete(&pd->cmd.done);
	}
	/*
	 * Queued events stay readable (a TAMPER just before the unplug, say),
	 * as cdc-wdm and hidraw drain theirs; the last close wipes them.
	 */
	pcp_asm_reset(&pd->rx_asm);
	spin_unlock_irq(&pd->lock);
	/* readers and pollers see pd->dead; the command waiter sees GONE */
	wake_up_all(&pd->read_wait);
	del_timer_sync(&pd->rx_idle);

	/* Wait for a running ops->send(); none starts after this. */
	down_write(&pd->ops_sem);
	pd->ops = NULL;
	up_write(&pd->ops_sem);

	cdev_device_del(&pd->cdev, &pd->dev);
}
EXPORT_SYMBOL_GPL(paycard_unregister);

void paycard_put(struct paycard_device *pd)
{
	put_device(&pd->dev);
}
EXPORT_SYMBOL_GPL(paycard_put);

int paycard_suspend(struct paycard_device *pd)
{
	int ret = 0;

	/*
	 * A command in flight (an APDU may take up to 60 s) is cancelled, not
	 * waited for, and so is one that starts while we wait for the lock:
	 * its caller sends ABORT and returns -ECANCELED.
	 */
	while (!mutex_trylock(&pd->cmd_lock)) {
		paycard_cancel_pending(pd);
		usleep_range(1000, 2000);
	}
	pd->suspended = true;
	mutex_unlock(&pd->cmd_lock);

	down_read(&pd->ops_sem);
	if (pd->ops && pd->ops->suspend)
		ret = pd->ops->suspend(pd);
	up_read(&pd->ops_sem);
	return ret;
}
EXPORT_SYMBOL_GPL(paycard_suspend);

int paycard_resume(struct paycard_device *pd)
{
	int ret = 0;

	down_read(&pd->ops_sem);
	if (pd->ops && pd->ops->resume)
		ret = pd->ops->resume(pd);
	up_read(&pd->ops_sem);
	mutex_lock(&pd->cmd_lock);
	pd->suspended = false;
	mutex_unlock(&pd->cmd_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(paycard_resume);

void paycard_set_drvdata(struct paycard_device *pd, void *data)
{
	pd->drvdata = data;
}
EXPORT_SYMBOL_GPL(paycard_set_drvdata);

void *paycard_get_drvdata(struct paycard_device *pd)
{
	return pd->drvdata;
}
EXPORT_SYMBOL_GPL(paycard_get_drvdata);

/*
 * The uapi structs must have the same size on every ABI (compat_ptr_ioctl
 * relies on it) and no implicit padding: these are the sums of their
 * members, so a hole or a changed member breaks the build.
 */
static void __init paycard_check_uapi_layout(void)
{
	BUILD_BUG_ON(sizeof(struct paycard_track) != PAYCARD_TRACK_MAX);
	BUILD_BUG_ON(sizeof(struct paycard_event) != 16 + 3 * PAYCARD_TRACK_MAX);
	BUILD_BUG_ON(sizeof(struct paycard_info) != 16 + 3 * PAYCARD_STR_LEN + 8);
	BUILD_BUG_ON(sizeof(struct paycard_chip_power) != 8 + PAYCARD_ATR_MAX);
	BUILD_BUG_ON(sizeof(struct paycard_apdu) != 32);
	BUILD_BUG_ON(sizeof(struct paycard_keypad) != 8);
	BUILD_BUG_ON(sizeof(struct paycard_ui) != 8);
	BUILD_BUG_ON(sizeof(struct paycard_stats) != 8 * 8);
}

static int __init paycard_init(void)
{
	int ret;

	paycard_check_uapi_layout();

	ret = alloc_chrdev_region(&paycard_devt, 0, PAYCARD_MINORS, "paycard");
	if (ret)
		return ret;
	ret = class_register(&paycard_class);
	if (ret)
		unregister_chrdev_region(paycard_devt, PAYCARD_MINORS);
	return ret;
}

static void __exit paycard_exit(void)
{
	class_unregister(&paycard_class);
	unregister_chrdev_region(paycard_devt, PAYCARD_MINORS);
}

module_init(paycard_init);
module_exit(paycard_exit);

MODULE_DESCRIPTION("paycard point-of-sale card reader core");
MODULE_LICENSE("GPL");
