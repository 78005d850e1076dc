# tests/vm-spi: SPI end to end in the VM (included from tests/kunit/build.mk)
#
#   make vm-spi-smoke   boot Debian's kernel in QEMU with paycard_spi and the
#                       test-only SPI controller paycard_vspi; a minimal
#                       reader (vspi-reader) answers on /dev/paycard-vspi.

.PHONY: vm-spi-smoke
CHECK_SUITES	+= vm-spi-smoke

vm-spi-smoke:
	@scripts/run-suite vm-spi-smoke --timeout 600 -- tests/vm-spi/run-smoke
