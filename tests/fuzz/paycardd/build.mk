# tests/fuzz/paycardd: libFuzzer targets for the daemon's parsers of outside
# input: paycardd.conf (config), reader track 2 data (track2) and reader
# protocol event payloads of the userspace USB transport (pcp_event).
FUZZ_PAYCARDD_NAMES	:= config track2 pcp_event
FUZZ_PAYCARDD_BINS	:= $(FUZZ_PAYCARDD_NAMES:%=$(BUILD)/tests/fuzz-paycardd-%)

$(call fuzzobj,$(FUZZ_PAYCARDD_NAMES:%=tests/fuzz/paycardd/fuzz_%.c)): \
	EXTRA_CFLAGS += $(PAYCARDD_CFLAGS)

$(BUILD)/tests/fuzz-paycardd-config: $(call fuzzobj,tests/fuzz/paycardd/fuzz_config.c) \
		$(PAYCARDD_CORE_FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $^ -linih -lsqlite3 -o $@

# what ReadCard does with a swipe: the EMV track 2 parse, then the mask
$(BUILD)/tests/fuzz-paycardd-track2: $(call fuzzobj,tests/fuzz/paycardd/fuzz_track2.c \
		daemon/emv/track.c $(CRYPTO_SRCS) $(COMMON_SRCS))
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $^ $(CRYPTO_LDLIBS) -o $@

$(BUILD)/tests/fuzz-paycardd-pcp_event: $(call fuzzobj,tests/fuzz/paycardd/fuzz_pcp_event.c) \
		$(PAYCARDD_CORE_FUZZ_LIB)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $^ -o $@

CHECK_SUITES	+= $(FUZZ_PAYCARDD_NAMES:%=fuzz-paycardd-%)
.PHONY: $(FUZZ_PAYCARDD_NAMES:%=fuzz-paycardd-%)
$(FUZZ_PAYCARDD_NAMES:%=fuzz-paycardd-%): fuzz-paycardd-%: $(BUILD)/tests/fuzz-paycardd-%
	@mkdir -p $(BUILD)/fuzz-corpus/paycardd-$* $(BUILD)/fuzz-artifacts/paycardd-$*
	@scripts/run-suite $@ --timeout $$(( $(FUZZ_SECONDS) + 120 )) -- \
		$< -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz-artifacts/paycardd-$*/ \
		$(BUILD)/fuzz-corpus/paycardd-$* tests/fuzz/paycardd/corpus/$*
