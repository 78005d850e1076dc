# tests/unit/crypto: cmocka suites of libpaycard-crypto (ASan+UBSan build),
# one binary and one suite per concern.
UNIT_CRYPTO_NAMES	:= cipher mac pinblock dukpt tr31 keystore
UNIT_CRYPTO_BINS	:= $(UNIT_CRYPTO_NAMES:%=$(BUILD)/tests/unit-crypto-%)

$(BUILD)/tests/unit-crypto-%: $(BUILD)/san/tests/unit/crypto/test_%.o \
		$(CRYPTO_SAN_LIB) $(call sanobj,$(COMMON_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka $(CRYPTO_LDLIBS) -o $@

CHECK_SUITES	+= $(UNIT_CRYPTO_NAMES:%=unit-crypto-%)
.PHONY: $(UNIT_CRYPTO_NAMES:%=unit-crypto-%)
$(UNIT_CRYPTO_NAMES:%=unit-crypto-%): unit-crypto-%: $(BUILD)/tests/unit-crypto-%
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite $@ -- $<
