# tests/vm-spi: the test-only SPI controller paycard_vspi.ko.  It plays the
# reader's side of the SPI block layer and hands the byte stream to the
# reader emulator (paycard-emu --spi /dev/paycard-vspi), so tests/vm/run-vm
# runs the VM scenarios over paycard_spi too (its SPI boot).
#
#   make vm-vspi-module   paycard_vspi.ko against the VM kernel's headers,
#                         beside the vm-modules copy, in
#                         $(KMOD_DIR)/tests/vm-spi (it includes
#                         kernel/paycard_spi.h from there)

.PHONY: vm-vspi-module

vm-vspi-module: vm-modules
	@mkdir -p $(KMOD_DIR)/tests/vm-spi
	@cp -p tests/vm-spi/Kbuild tests/vm-spi/paycard_vspi.c $(KMOD_DIR)/tests/vm-spi/
	$(MAKE) -C $(VM_KDIR) M=$(abspath $(KMOD_DIR))/tests/vm-spi \
		KCFLAGS=-Werror modules
