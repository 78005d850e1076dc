# tests/unit/iso8583: codec, BER-TLV and printer suites (ASan+UBSan).
ISO8583_TEST_NAMES	:= codec tlv printer
ISO8583_TEST_BINS	:= $(patsubst %,$(BUILD)/tests/iso8583-%,$(ISO8583_TEST_NAMES))
ISO8583_SAN_OBJS	:= $(call sanobj,$(ISO8583_SRCS) daemon/common/hex.c)

$(BUILD)/tests/iso8583-%: $(call sanobj,tests/unit/iso8583/test_%.c) $(ISO8583_SAN_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^ -lcmocka

CHECK_SUITES	+= unit-iso8583
.PHONY: unit-iso8583
unit-iso8583: $(ISO8583_TEST_BINS)
	@scripts/run-suite unit-iso8583 --timeout 120 -- sh -c \
		'for t in $(ISO8583_TEST_BINS); do CMOCKA_MESSAGE_OUTPUT=TAP $$t || exit 1; done'
# keep the objects make would treat as intermediate (pattern-rule chain)
.SECONDARY: $(ISO8583_SAN_OBJS) $(call sanobj,$(wildcard tests/unit/iso8583/*.c))

CHECK_SUITES	+= iso8583-tool-cli iso8583-tshark
.PHONY: iso8583-tool-cli iso8583-tshark
iso8583-tool-cli: $(BUILD)/paycard-tool
	@scripts/run-suite $@ --timeout 60 -- tests/unit/iso8583/tool-cli.sh $<
# Live loopback capture: needs root (or capture rights) and tshark.
iso8583-tshark: $(BUILD)/paycard-tool
	@scripts/run-suite $@ --timeout 120 -- tests/unit/iso8583/tshark-interop.sh $<

# Benchmark: optimised objects, no sanitizers.
$(BUILD)/bench/iso8583: $(call obj,tests/unit/iso8583/bench_iso8583.c) \
		$(ISO8583_LIB) $(CRYPTO_LIB) $(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(CRYPTO_LDLIBS)

BENCH_TARGETS	+= bench-iso8583
.PHONY: bench-iso8583
bench-iso8583: $(BUILD)/bench/iso8583
	@$<
