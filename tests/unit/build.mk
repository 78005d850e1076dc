# tests/unit: cmocka suites, one directory per area, each with its own
# build.mk.  Tests are built with ASan+UBSan (the san objects) and run with
# TAP output so scripts/run-suite can count them.
include $(wildcard tests/unit/*/build.mk)
