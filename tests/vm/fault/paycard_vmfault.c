// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only module for the VM harness (never for production): makes one
 * of the debug kernel's checkers report, so that a run proves the guest's
 * kernel log scan fails on a real report, not only on the documented
 * examples of tests/vm/check-kernel-log-scan.  tests/vm/guest/init loads
 * it with fault=<pcvm.fault> when the kernel command line asks.
 */
#include <linux/compiler.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *fault = "none";
module_param(fault, charp, 0444);
MODULE_PARM_DESC(fault, "kasan, kmemleak, atomic-sleep or ubsan");

/* KASAN: a read of freed memory. */
static noinline void vmfault_kasan(void)
{
	char *p = kmalloc(16, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	pr_info("paycard_vmfault: read after free: %d\n", READ_ONCE(p[0]));
}

/* kmemleak: the only pointer to an allocation is dropped. */
static noinline void vmfault_kmemleak(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	memset(p, 0x5a, 64);
	OPTIMIZER_HIDE_VAR(p);
}

/*
 * DEBUG_ATOMIC_SLEEP: an allocation that may sleep, under a spinlock
 * (might_alloc() checks it at once; a plain msleep() would only be caught
 * by the scheduler, as "scheduling while atomic").
 */
static noinline void vmfault_atomic_sleep(void)
{
	static DEFINE_SPINLOCK(lock);
	void *p;

	spin_lock(&lock);
	p = kmalloc(32, GFP_KERNEL);
	spin_unlock(&lock);
	kfree(p);
}

/* UBSAN: a shift past the width of int. */
static noinline void vmfault_ubsan(void)
{
	int shift = 40;

	OPTIMIZER_HIDE_VAR(shift);
	pr_info("paycard_vmfault: 1 << %d = %d\n", shift, 1 << shift);
}

static int __init vmfault_init(void)
{
	if (!strcmp(fault, "kasan"))
		vmfault_kasan();
	else if (!strcmp(fault, "kmemleak"))
		vmfault_kmemleak();
	else if (!strcmp(fault, "atomic-sleep"))
		vmfault_atomic_sleep();
	else if (!strcmp(fault, "ubsan"))
		vmfault_ubsan();
	else
		return -EINVAL;
	return 0;
}
module_init(vmfault_init);

static void __exit vmfault_exit(void)
{
}
module_exit(vmfault_exit);

MODULE_DESCRIPTION("paycard VM harness: makes the debug kernel's checkers report");
MODULE_LICENSE("GPL");
