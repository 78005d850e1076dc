/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * PCP over SPI: the block layer under the frame stream.
 *
 * The host (SPI controller) and the reader exchange fixed-size full-duplex
 * blocks of PCP_SPI_BLOCK bytes (a firmware property, default 256).  Each
 * block, in each direction, is:
 *
 *   off size
 *    0   2   header, little-endian:
 *              bits 0-13  count of stream bytes that follow (<= block - 2)
 *              bit  14    MORE (reader only): more stream bytes are waiting;
 *                         the host clocks another block at once
 *              bit  15    BUSY (reader only): the reader could not take the
 *                         host's bytes of this very block; the host sends
 *                         them again (after PCP_SPI_BUSY_RETRY_US)
 *    2   n   stream bytes: a slice of the same PCP frame stream as on USB
 *   2+n  ..  padding up to the block size, any value, ignored
 *
 * The host starts a block when it has bytes to send or when the reader's
 * data-ready line (an interrupt) is active; the reader keeps data-ready
 * active while it has stream bytes waiting.  Shared with the emulator, so
 * no kernel-only types here.  Normative text: docs/vendor-guide.md.
 */
#ifndef _PAYCARD_SPI_H
#define _PAYCARD_SPI_H

#define PCP_SPI_HDR_LEN			2
#define PCP_SPI_COUNT_MASK		0x3fff
#define PCP_SPI_MORE			0x4000
#define PCP_SPI_BUSY			0x8000

#define PCP_SPI_BLOCK_DEFAULT		256
#define PCP_SPI_BLOCK_MIN		16
#define PCP_SPI_BLOCK_MAX		4096

/*
 * Host timing: minimum gap between blocks (chip select inactive) and the
 * retry pace and limit for a reader that answers BUSY.
 */
#define PCP_SPI_GAP_US_DEFAULT		20
#define PCP_SPI_GAP_US_MAX		10000
#define PCP_SPI_BUSY_RETRY_US		1000
#define PCP_SPI_BUSY_TIMEOUT_MS		1000

#endif /* _PAYCARD_SPI_H */
