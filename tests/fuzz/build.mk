# tests/fuzz: libFuzzer targets, one directory per area, each with its own
# build.mk.  `make check` runs every target briefly (FUZZ_SECONDS each) from
# its seed corpus in tests/fuzz/<area>/corpus/<target>/.
FUZZ_SECONDS	?= 20
include $(wildcard tests/fuzz/*/build.mk)
