# tests/fuzz/crypto: libFuzzer targets for the crypto library's parsers of
# outside input: TR-31 key blocks, PIN blocks, hex text.  Each run grows a
# scratch corpus under build/, never the committed seeds.
CRYPTO_FUZZERS		:= tr31 pinblock hex
CRYPTO_FUZZ_LIB_SRCS	:= $(CRYPTO_SRCS) $(COMMON_SRCS)

$(CRYPTO_FUZZERS:%=$(BUILD)/tests/fuzz-crypto-%): $(BUILD)/tests/fuzz-crypto-%: \
		$(BUILD)/fuzz/tests/fuzz/crypto/fuzz_%.o \
		$(call fuzzobj,$(CRYPTO_FUZZ_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $^ $(CRYPTO_LDLIBS) -o $@

.SECONDARY: $(CRYPTO_FUZZERS:%=$(BUILD)/fuzz/tests/fuzz/crypto/fuzz_%.o)

CHECK_SUITES	+= $(CRYPTO_FUZZERS:%=fuzz-crypto-%)
.PHONY: $(CRYPTO_FUZZERS:%=fuzz-crypto-%)
$(CRYPTO_FUZZERS:%=fuzz-crypto-%): fuzz-crypto-%: $(BUILD)/tests/fuzz-crypto-%
	@rm -rf $(BUILD)/fuzz-corpus/crypto-$* && \
		mkdir -p $(BUILD)/fuzz-corpus/crypto-$* $(BUILD)/fuzz-artifacts/crypto-$*
	@scripts/run-suite $@ --timeout $$(( $(FUZZ_SECONDS) + 120 )) -- \
		$< -max_total_time=$(FUZZ_SECONDS) -max_len=2048 \
		-artifact_prefix=$(BUILD)/fuzz-artifacts/crypto-$*/ \
		$(BUILD)/fuzz-corpus/crypto-$* tests/fuzz/crypto/corpus/$*
