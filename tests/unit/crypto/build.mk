# tests/unit/crypto: cmocka suites of libpaycard-crypto (ASan+UBSan build),
# one binary and one suite per concern.
UNIT_CRYPTO_NAMES	:= cipher mac pinblock dukpt tr31 keystore

$(BUILD)/tests/unit-crypto-%: $(BUILD)/san/tests/unit/crypto/test_%.o \
		$(CRYPTO_SAN_LIB) $(call sanobj,$(COMMON_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka $(CRYPTO_LDLIBS) -o $@

# keep the test objects (pattern-rule intermediates) between runs
.SECONDARY: $(UNIT_CRYPTO_NAMES:%=$(BUILD)/san/tests/unit/crypto/test_%.o)

CHECK_SUITES	+= $(UNIT_CRYPTO_NAMES:%=unit-crypto-%)
.PHONY: $(UNIT_CRYPTO_NAMES:%=unit-crypto-%)
$(UNIT_CRYPTO_NAMES:%=unit-crypto-%): unit-crypto-%: $(BUILD)/tests/unit-crypto-%
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite $@ -- $<

# paycard-tool on vectors and bad input, built with ASan+UBSan so that a
# crash on bad input cannot pass unnoticed.
TOOL_SAN_BIN	:= $(BUILD)/tests/paycard-tool-san

$(TOOL_SAN_BIN): $(call sanobj,$(TOOL_SRCS)) $(ISO8583_LIB) $(CRYPTO_SAN_LIB) \
		$(call sanobj,$(COMMON_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ $(CRYPTO_LDLIBS) -o $@

CHECK_SUITES	+= unit-crypto-tool
.PHONY: unit-crypto-tool
unit-crypto-tool: $(TOOL_SAN_BIN)
	@scripts/run-suite $@ -- tests/unit/crypto/test_tool.sh $(TOOL_SAN_BIN)
