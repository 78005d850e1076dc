# tests/fuzz/frame: libFuzzer target for the PCP frame decoder and stream
# assembler.  New inputs go to a scratch corpus under build/, never into the
# seed directory of the source tree.
FUZZ_FRAME_BIN	:= $(BUILD)/tests/fuzz-frame

$(FUZZ_FRAME_BIN): $(call fuzzobj,tests/fuzz/frame/fuzz_frame.c kernel/paycard_frame.c)
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $^ -o $@

CHECK_SUITES	+= fuzz-frame
.PHONY: fuzz-frame
fuzz-frame: $(FUZZ_FRAME_BIN)
	@mkdir -p $(BUILD)/fuzz-corpus/frame $(BUILD)/fuzz-artifacts/frame
	@scripts/run-suite fuzz-frame --timeout $$(( $(FUZZ_SECONDS) + 120 )) -- \
		$(FUZZ_FRAME_BIN) -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(BUILD)/fuzz-artifacts/frame/ \
		$(BUILD)/fuzz-corpus/frame tests/fuzz/frame/corpus/frame
