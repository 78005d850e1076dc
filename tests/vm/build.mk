# tests/vm: the QEMU harness and the in-guest test client.
#
#   make vm-test     all scenarios: boots of Debian's kernel with the reader
#                    on USB (high, full speed) and on SPI
#   make bench-usb   APDU latency: /dev/paycard vs raw usbfs (in the VM)
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

CHECK_SUITES	+= vm
BENCH_TARGETS	+= bench-usb
.PHONY: vm bench-usb

# The suite and `make vm-test` run the same thing.
vm: $(VM_GUEST_PROGS)
	@scripts/run-suite vm --timeout 900 -- $(VM_RUN) test

vm-test:
	@scripts/deps --quiet
	@$(MAKE) --no-print-directory vm-test-run
.PHONY: vm-test-run
vm-test-run: $(VM_GUEST_PROGS)
	$(VM_RUN) test

bench-usb: $(VM_GUEST_PROGS)
	$(VM_RUN) bench
