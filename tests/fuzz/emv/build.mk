# tests/fuzz/emv: libFuzzer targets for the EMV layer's parsers of card
# input: records/AFL/DOL (records), whole card answers driving the terminal
# flow (responses), magnetic stripe tracks (track); and the virtual card
# on arbitrary commands (vcard), as the emulator will run it.  Each run grows a
# scratch corpus under build/, never the committed seeds.

EMV_FUZZERS		:= records responses track vcard
EMV_FUZZ_LIB_SRCS	:= $(EMV_SRCS) $(EMV_TLV_SRCS) $(CRYPTO_SRCS) $(COMMON_SRCS)

$(EMV_FUZZERS:%=$(BUILD)/tests/fuzz-emv-%): $(BUILD)/tests/fuzz-emv-%: \
		$(BUILD)/fuzz/tests/fuzz/emv/fuzz_%.o \
		$(call fuzzobj,$(EMV_FUZZ_LIB_SRCS))
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_FLAGS) $^ $(CRYPTO_LDLIBS) -o $@

$(BUILD)/tests/fuzz-emv-vcard: $(call fuzzobj,tests/emu/card/virtual_card.c \
		tests/emu/card/emv_signer.c)
$(BUILD)/fuzz/tests/fuzz/emv/fuzz_vcard.o: EXTRA_CFLAGS += -Itests/emu/card

.SECONDARY: $(EMV_FUZZERS:%=$(BUILD)/fuzz/tests/fuzz/emv/fuzz_%.o)

CHECK_SUITES	+= $(EMV_FUZZERS:%=fuzz-emv-%)
.PHONY: $(EMV_FUZZERS:%=fuzz-emv-%)
$(EMV_FUZZERS:%=fuzz-emv-%): fuzz-emv-%: $(BUILD)/tests/fuzz-emv-%
	@rm -rf $(BUILD)/fuzz-corpus/emv-$* && \
		mkdir -p $(BUILD)/fuzz-corpus/emv-$* $(BUILD)/fuzz-artifacts/emv-$*
	@scripts/run-suite $@ --timeout $$(( $(FUZZ_SECONDS) + 120 )) -- \
		$< -max_total_time=$(FUZZ_SECONDS) -max_len=2048 \
		-artifact_prefix=$(BUILD)/fuzz-artifacts/emv-$*/ \
		$(BUILD)/fuzz-corpus/emv-$* tests/fuzz/emv/corpus/$*
