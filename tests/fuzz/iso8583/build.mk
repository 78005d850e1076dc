# tests/fuzz/iso8583: libFuzzer targets for ISO 8583 frames and BER-TLV.
ISO8583_FUZZERS	:= iso8583_decode tlv_decode
ISO8583_FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/bin/%,$(ISO8583_FUZZERS))

$(ISO8583_FUZZ_BINS): $(BUILD)/fuzz/bin/%: \
		$(BUILD)/fuzz/tests/fuzz/iso8583/fuzz_%.o \
		$(call fuzzobj,$(ISO8583_SRCS) daemon/common/hex.c)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) -o $@ $^

.SECONDARY: $(call fuzzobj,$(ISO8583_SRCS) daemon/common/hex.c \
	$(wildcard tests/fuzz/iso8583/*.c))

CHECK_SUITES	+= fuzz-iso8583-decode fuzz-iso8583-tlv
.PHONY: fuzz-iso8583-decode fuzz-iso8583-tlv
fuzz-iso8583-decode: $(BUILD)/fuzz/bin/iso8583_decode
fuzz-iso8583-tlv: $(BUILD)/fuzz/bin/tlv_decode
# The run grows a scratch copy so the committed seed corpus stays small.
fuzz-iso8583-decode fuzz-iso8583-tlv:
	@rm -rf $(BUILD)/fuzz/corpus/$@ && mkdir -p $(BUILD)/fuzz/corpus/$@
	@scripts/run-suite $@ --timeout $$(($(FUZZ_SECONDS) + 60)) -- \
		$< -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		$(BUILD)/fuzz/corpus/$@ tests/fuzz/iso8583/corpus/$(patsubst $(BUILD)/fuzz/bin/%,%,$<)
