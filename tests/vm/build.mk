# tests/vm: the QEMU harness and the in-guest test client.
#
#   make vm-test     all scenarios on the debug kernel: boots with the
#                    reader on USB (high, full speed) and on SPI
#   make debug-kernel  the sanitizer kernel those boots use
#                    (scripts/build-debug-kernel, cached in $(CACHE))
#   make bench-usb   APDU latency: /dev/paycard vs raw usbfs (in the VM)
#   suites: vm (debug kernel), vm-6.12 (Debian 12's 6.12 image, USB at
#   high speed), vm-hostile (the hostile reader on the debug kernel),
#   vm-log-scan (the guest's kernel log verdict, on the host)
# (make demo boots the same VM: tests/demo/build.mk)
VMTEST_SRCS	:= $(addprefix tests/vm/,vmtest_main.c vmtest_util.c \
		   vmtest_usbfs.c vmtest_basic.c vmtest_unplug.c \
		   vmtest_misbehave.c vmtest_limits.c vmtest_bench.c \
		   vmtest_spi.c vmtest_timing.c vmtest_hostile.c)

$(call obj,$(VMTEST_SRCS)): EXTRA_CFLAGS += -Iinclude/uapi

$(BUILD)/paycard-vmtest: $(call obj,$(VMTEST_SRCS) $(FRAME_SRCS))
	$(CC) -static -pthread -o $@ $^

PROGRAMS	+= $(BUILD)/paycard-vmtest

# What the guest needs; run-vm builds the modules and the test SPI
# controller (tests/vm-spi/build.mk's vm-vspi-module) in build/vm/kmod.
VM_GUEST_PROGS	:= $(BUILD)/paycard-emu $(BUILD)/paycard-emuctl \
		   $(BUILD)/paycard-vmtest
VM_RUN		= env BUILD=$(BUILD) tests/vm/run-vm

CHECK_SUITES	+= vm-log-scan vm vm-6.12 vm-hostile
BENCH_TARGETS	+= bench-usb
.PHONY: vm vm-6.12 vm-hostile vm-log-scan debug-kernel bench-usb

# Built before the suites that boot it, outside their time limits: a cold
# build takes minutes, then it is a cached artifact.  A failed build does
# not stop them: run-vm tries once more and reports "FAIL vm-kernel".
debug-kernel:
	-@scripts/build-debug-kernel >/dev/null

# The suite and `make vm-test` run the same thing: every scenario on the
# debug kernel (KASAN, KFENCE, UBSAN, lockdep, kmemleak), whose log scan
# fails on any report.  Debian's stock 6.1 kernel is not booted here: its
# modules build is checked by kmod-build and dkms-build, and a boot of it
# finds nothing the debug kernel would not.
vm: $(VM_GUEST_PROGS) debug-kernel
	@scripts/run-suite vm --timeout 2400 -- env VM_KERNEL=debug $(VM_RUN) test

# Debian 12's 6.12 image with our modules built against its headers
# (linux-headers-6.12-amd64): every USB scenario at high speed.
vm-6.12: $(VM_GUEST_PROGS)
	@scripts/run-suite vm-6.12 --timeout 900 -- env VM_KERNEL=debian-6.12 \
		VM_LINKS=high $(VM_RUN) test

# 100,000 hostile items from the emulator on USB, on the debug kernel:
# frames sent, worst-case time per feed, kernel log clean.
vm-hostile: $(VM_GUEST_PROGS) debug-kernel
	@scripts/run-suite vm-hostile --timeout 2400 -- env VM_KERNEL=debug \
		$(VM_RUN) hostile

# The scan on documented reports (host), then on real ones: a debug-kernel
# boot that loads tests/vm/fault/paycard_vmfault.ko once per fault.  Their
# PASS/FAIL lines are counted together (each one's summary line dropped).
vm-log-scan: $(VM_GUEST_PROGS) debug-kernel
	@scripts/run-suite vm-log-scan --timeout 900 -- sh -c \
		'{ tests/vm/check-kernel-log-scan; \
		   BUILD=$(BUILD) tests/vm/check-kernel-log-faults; } | \
		 grep -v "^[0-9]* passed, [0-9]* failed$$"'

# The fault module, against the same kernel tree as the modules
# (run-vm builds it when pcvm.fault is asked for).
.PHONY: vm-fault-module
vm-fault-module:
	@mkdir -p $(KMOD_DIR)/tests/vm/fault
	@cp -p tests/vm/fault/Kbuild tests/vm/fault/paycard_vmfault.c \
		$(KMOD_DIR)/tests/vm/fault/
	$(MAKE) -C $(VM_KDIR) M=$(abspath $(KMOD_DIR))/tests/vm/fault \
		KCFLAGS=-Werror modules

vm-test: debug-kernel
	@scripts/deps --quiet
	@$(MAKE) --no-print-directory vm-test-run
.PHONY: vm-test-run
vm-test-run: $(VM_GUEST_PROGS)
	VM_KERNEL=debug $(VM_RUN) test

bench-usb: $(VM_GUEST_PROGS)
	$(VM_RUN) bench
