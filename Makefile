# paycard: top-level build.
#
#   make            kernel modules (KDIR=...) and userspace programs in build/
#   make check      every test suite; last line "N passed, N failed"
#   make vm-test    the QEMU scenarios only
#   make bench      benchmarks (print numbers, never fail on them)
#   make demo       a live demonstration in the VM
#
# Each area owns a fragment (<dir>/build.mk) that adds its programs to
# PROGRAMS and its suites to CHECK_SUITES / BENCH_TARGETS.  A suite target
# runs through scripts/run-suite, which records "passed failed" counts in
# build/results/; scripts/summary adds them up.

BUILD		?= build
KDIR		?= /lib/modules/$(shell uname -r)/build
CACHE		?= /var/cache/paycard
export CACHE

CC		?= cc
CLANG		?= clang
WARN		:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
CFLAGS		?= -O2 -g
ALL_CFLAGS	= -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fstack-protector-strong \
		  -D_FORTIFY_SOURCE=2 -Iinclude -Idaemon $(EXTRA_CFLAGS)
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
FUZZ_FLAGS	:= -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer

# `make V=1` shows the compiler command lines.
ifeq ($(V),1)
Q		:=
quiet		= @true
else
Q		:= @
quiet		= @printf '  %-7s %s\n'
endif

PROGRAMS	:=
CHECK_SUITES	:=
BENCH_TARGETS	:=

.PHONY: all modules userspace check vm-test bench demo clean deps \
	check-clean summary
all: userspace modules

# object paths: build/obj (normal), build/san (ASan+UBSan), build/fuzz (clang)
obj	= $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
sanobj	= $(patsubst %.c,$(BUILD)/san/%.o,$(1))
fuzzobj	= $(patsubst %.c,$(BUILD)/fuzz/%.o,$(1))

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/san/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC-SAN $<
	$(Q)$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(quiet) CC-FUZZ $<
	$(Q)$(CLANG) $(filter-out -fstack-protector-strong,$(ALL_CFLAGS)) \
		-Wno-unknown-warning-option $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

include tests/emu/card/build.mk
include daemon/common/build.mk
include daemon/crypto/build.mk
include daemon/iso8583/build.mk
include daemon/hostlink/build.mk
include daemon/emv/build.mk
include daemon/txn/build.mk
include daemon/tool/build.mk
include daemon/paycardd/build.mk
include daemon/paycardctl/build.mk
include tests/unit/build.mk
include tests/fuzz/build.mk
include tests/emu/build.mk
include tests/hostsim/build.mk
include tests/txn/build.mk
include tests/conformance/build.mk
include tests/kunit/build.mk
include tests/vm/build.mk
include tests/vm-spi/build.mk
include tests/demo/build.mk
include kernel/build.mk

userspace: $(PROGRAMS)

# Suites record their counts in $(RESULTS) (scripts/run-suite reads the
# same variable); a separate RESULTS keeps concurrent runs apart.
RESULTS		?= $(BUILD)/results
export RESULTS
check-clean:
	@rm -rf $(RESULTS)
	@mkdir -p $(RESULTS)

# Suites run in order; a failing suite is recorded, never stops the others.
check: check-clean
	@scripts/deps --quiet
	@$(MAKE) --no-print-directory -k $(CHECK_SUITES) || true
	@scripts/summary $(RESULTS)

bench:
	@scripts/deps --quiet
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)

deps:
	scripts/deps

clean:
	rm -rf $(BUILD)
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true

-include $(shell find $(BUILD) -name '*.d' -type f 2>/dev/null)
