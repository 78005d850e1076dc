/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels paycard builds on (Debian 12's 6.1 and
 * 6.12), absorbed here so that the .c files use one spelling.
 *
 * <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12 (commit
 * 5f60d5f6bbc1, "move asm/unaligned.h to linux/unaligned.h"); kernel/Kbuild
 * tests for the header itself (not for a version, so backports work too).
 */
#ifndef PAYCARD_COMPAT_H
#define PAYCARD_COMPAT_H

#ifdef PAYCARD_HAVE_LINUX_UNALIGNED_H
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#endif /* PAYCARD_COMPAT_H */
