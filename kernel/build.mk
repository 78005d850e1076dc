# kernel: out-of-tree modules and the kernel-side check suites.
#
#   make modules            kernel/paycard.ko, kernel/paycard_usb.ko and, when
#                           the kernel has SPI, kernel/paycard_spi.ko against
#                           KDIR (default: the running kernel's headers)
#   make vm-modules         the same against the VM kernel's headers, built
#                           in a copy under $(BUILD)/kmod; fails unless all
#                           of VM_MODULES were built (the VM tests both
#                           transports)
#   suites: checkpatch, kmod-build, dkms-build (kmod-build and dkms-build
#           build against both kernels of KMOD_ABIS: a version matrix)
#
# The VM kernel's ABI comes from scripts/vm-kernel-abi (Debian's current
# linux-image-amd64), the 6.12 line's from scripts/vm-kernel-abi 6.12; their
# headers are installed by scripts/deps.

KERNEL_SRCS	:= $(wildcard kernel/*.c kernel/*.h)
# Only sources are copied: objects of an in-place `make modules` stay out.
KMOD_SRCS	= Kbuild kernel/Kbuild kernel/Kconfig $(KERNEL_SRCS) \
		  $(wildcard include/paycard/*.h include/uapi/linux/*.h)
KMOD_DIR	:= $(BUILD)/kmod
VM_ABI		= $(shell scripts/vm-kernel-abi 2>/dev/null)
VM_KDIR		= /usr/src/linux-headers-$(VM_ABI)-amd64
KMOD_NAMES	:= paycard paycard_usb paycard_spi
VM_MODULES	= $(KMOD_NAMES:%=$(KMOD_DIR)/kernel/%.ko)
# Debian 12's two kernel lines: the modules must build on both.
KMOD_ABIS	= $(VM_ABI) $(shell scripts/vm-kernel-abi 6.12 2>/dev/null)
KERNEL_SOURCE_TAR := $(lastword $(sort $(wildcard /usr/src/linux-source-*.tar.xz)))
CHECKPATCH_TREE	:= $(CACHE)/checkpatch
CHECKPATCH	:= $(CHECKPATCH_TREE)/scripts/checkpatch.pl

.PHONY: modules vm-modules checkpatch kmod-build dkms-build

# `make` (all) builds the modules only where there are headers to build
# against; `make modules` asked for them and fails loudly without.
modules:
ifneq ($(wildcard $(KDIR)/Makefile),)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
else ifneq ($(filter modules,$(MAKECMDGOALS)),)
	@echo "modules: no kernel build tree at KDIR=$(KDIR)" >&2
	@echo "modules: install the headers (linux-headers-$$(uname -r)) or pass KDIR=/path/to/build" >&2
	@exit 1
else
	@echo "modules: skipped, no kernel build tree at KDIR=$(KDIR) (make modules KDIR=...)"
endif

# Built from a copy so that it never races an in-tree `make modules`.
vm-modules:
	@test -n "$(VM_ABI)" || { echo "vm-modules: scripts/vm-kernel-abi found no kernel" >&2; exit 1; }
	@test -f $(VM_KDIR)/Makefile || { echo "vm-modules: $(VM_KDIR) missing (run scripts/deps)" >&2; exit 1; }
	@mkdir -p $(KMOD_DIR)
	@cp -p --parents $(KMOD_SRCS) $(KMOD_DIR)/
	$(MAKE) -C $(VM_KDIR) M=$(abspath $(KMOD_DIR)) KCFLAGS=-Werror modules
	@for ko in $(VM_MODULES); do test -f $$ko || { \
		echo "vm-modules: $$ko not built (no USB or SPI in $(VM_KDIR)?)" >&2; \
		exit 1; }; done

CHECK_SUITES	+= checkpatch kmod-build dkms-build

# checkpatch.pl and its data files, from Debian's linux-source (once).
$(CHECKPATCH):
	@test -n "$(KERNEL_SOURCE_TAR)" || { echo "checkpatch: no /usr/src/linux-source-*.tar.xz (scripts/deps)" >&2; exit 1; }
	@mkdir -p $(CHECKPATCH_TREE)
	tar -xJf $(KERNEL_SOURCE_TAR) -C $(CHECKPATCH_TREE) --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'

# Also the headers the kernel shares with userspace, the Kconfig, the VM's
# test SPI controller and fault module: kernel code, kernel style.
checkpatch: $(CHECKPATCH)
	@scripts/run-suite checkpatch -- kernel/run-checkpatch $(CHECKPATCH) \
		$(KERNEL_SRCS) kernel/Kconfig include/uapi/linux/paycard.h \
		$(wildcard include/paycard/*.h) tests/vm-spi/paycard_vspi.c \
		tests/vm/fault/paycard_vmfault.c

# One line per module and kernel: built with -Werror, made for that kernel.
kmod-build:
	@KMOD_SRCS="$(KMOD_SRCS)" KMOD_NAMES="$(KMOD_NAMES)" \
		scripts/run-suite kmod-build --timeout 900 -- \
		kernel/run-kmod-build $(abspath $(BUILD)/kmod-matrix) $(KMOD_ABIS)

dkms-build:
	@scripts/run-suite dkms-build --timeout 900 -- kernel/run-dkms-build \
		$(CURDIR) $(CACHE)/dkms $(KMOD_ABIS)
