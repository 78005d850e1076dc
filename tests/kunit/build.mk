# tests/kunit: build fragment (see the top-level Makefile)
#
#   make kunit                    KUnit suites under UML (kunit.py's default)
#   make kunit KUNIT_ARCH=x86_64  the same suites in QEMU
#   make kunit-hook KERNEL=/path  hook paycard into another kernel tree
#   make kunit-unhook KERNEL=/path
#
# The kernel tree (Debian's linux-source) and the build directory live in
# $(CACHE), outside the clone; the first UML build takes minutes, later ones
# seconds.  Counts per case go to build/results/kunit.log.

KUNIT_ARCH	?= um
export KUNIT_ARCH

.PHONY: kunit kunit-hook kunit-unhook
CHECK_SUITES	+= kunit

kunit:
	@scripts/run-suite kunit --timeout 2400 -- tests/kunit/run-kunit
	@grep -aE 'Testing complete|kunit.py finished|^error' \
		$(BUILD)/results/kunit.log || true

kunit-hook:
	@test -n "$(KERNEL)" || { echo "usage: make kunit-hook KERNEL=/path/to/linux"; exit 2; }
	tests/kunit/kunit-hook install $(KERNEL) $(CURDIR)

kunit-unhook:
	@test -n "$(KERNEL)" || { echo "usage: make kunit-unhook KERNEL=/path/to/linux"; exit 2; }
	tests/kunit/kunit-hook remove $(KERNEL)
