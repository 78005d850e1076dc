# tests/hostsim: the acquirer host simulator (build/paycard-hostsim); it
# verifies ARQCs with the issuer side of the EMV library.
HOSTSIM_SRCS	:= $(wildcard tests/hostsim/*.c)
HOSTSIM		:= $(BUILD)/paycard-hostsim
PROGRAMS	+= $(HOSTSIM)

$(HOSTSIM): $(call obj,$(HOSTSIM_SRCS)) $(EMV_LIB) $(ISO8583_LIB) $(CRYPTO_LIB) \
		$(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ -linih -lsqlite3 -lssl $(CRYPTO_LDLIBS)

# Link and transaction tests: a test terminal against the simulator, every
# transaction type and fault mode, over TCP and over TLS; chip sales run the
# real terminal flow (daemon/emv) against the virtual card (tests/emu/card)
# on the EMV unit tests' terminal (tests/unit/emv/terminal_config.c).
HOSTSIM_TEST	:= $(BUILD)/tests/hostsim
HOSTSIM_TEST_OBJS := $(call sanobj,$(wildcard tests/hostsim/test/*.c) \
	$(HOSTLINK_SRCS) $(ISO8583_SRCS) $(VCARD_SRCS) \
	tests/unit/emv/terminal_config.c)

$(call sanobj,$(wildcard tests/hostsim/test/*.c)): \
	EXTRA_CFLAGS += -Itests/emu/card -Itests/unit/emv

$(HOSTSIM_TEST): $(HOSTSIM_TEST_OBJS) $(EMV_SAN_LIB) $(CRYPTO_SAN_LIB) \
		$(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^ -lcmocka -lsqlite3 $(HOSTLINK_LDLIBS)
.SECONDARY: $(HOSTSIM_TEST_OBJS)

CHECK_SUITES	+= hostsim
.PHONY: hostsim
hostsim: $(HOSTSIM_TEST) $(HOSTSIM) $(TEST_CERTS)/other-ca.pem
	@PAYCARD_TEST_CERTS=$(TEST_CERTS) PAYCARD_HOSTSIM=$(HOSTSIM) \
		CMOCKA_MESSAGE_OUTPUT=TAP \
		scripts/run-suite hostsim --timeout 300 -- $(HOSTSIM_TEST)
