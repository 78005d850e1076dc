# daemon/paycardctl: build fragment (see the top-level Makefile)
PAYCARDCTL_SRCS	:= $(wildcard daemon/paycardctl/*.c)

# the response code table is the transaction engine's (txn/response_codes.c)
$(BUILD)/paycardctl: $(call obj,$(PAYCARDCTL_SRCS) daemon/txn/response_codes.c)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lsystemd -lssl -lcrypto

PROGRAMS	+= $(BUILD)/paycardctl

# paycardctl against a live paycardd with fake readers (tests/dbus)
CHECK_SUITES	+= paycardctl
.PHONY: paycardctl
paycardctl: $(BUILD)/paycardctl $(PAYCARDD_FAKE) $(PAYCARDD_MO)
	@PAYCARDCTL=$(BUILD)/paycardctl $(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 300 -- \
		/usr/bin/python3 tests/dbus/test_paycardctl.py
