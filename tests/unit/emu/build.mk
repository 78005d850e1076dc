# tests/unit/emu: cmocka tests of the reader emulator's card profiles
# (tests/emu/emu_profile.c, ASan+UBSan), including the emv-card line run
# through the real terminal flow against the virtual EMV card.
UNIT_EMU_BIN	:= $(BUILD)/tests/unit-emu-profile
UNIT_EMU_OBJS	:= $(call sanobj,tests/unit/emu/test_profile.c tests/emu/emu_profile.c \
		   $(VCARD_SRCS) $(EMV_TLV_SRCS) $(COMMON_SRCS))

$(UNIT_EMU_BIN): $(UNIT_EMU_OBJS) $(EMV_SAN_LIB) $(CRYPTO_SAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka $(CRYPTO_LDLIBS) -o $@
.SECONDARY: $(UNIT_EMU_OBJS)

CHECK_SUITES	+= unit-emu-profile
.PHONY: unit-emu-profile
unit-emu-profile: $(UNIT_EMU_BIN)
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite unit-emu-profile -- $(UNIT_EMU_BIN)

# The emulator's timing rules (docs/reader-protocol.md 3.4 partial-frame
# expiry, 5.5 PIN inactivity timeout): the receive side and the reader's
# keypad with explicit times instead of the clock.
UNIT_EMU_TIMING_BIN	:= $(BUILD)/tests/unit-emu-timing
UNIT_EMU_TIMING_OBJS	:= $(call sanobj,tests/unit/emu/test_timing.c \
			   $(addprefix tests/emu/,emu_rx.c emu_reader.c \
			   emu_writer.c emu_link.c emu_profile.c) \
			   $(VCARD_SRCS) $(EMV_TLV_SRCS) \
			   $(FRAME_SRCS) $(COMMON_SRCS))

$(UNIT_EMU_TIMING_BIN): $(UNIT_EMU_TIMING_OBJS) $(EMV_SAN_LIB) $(CRYPTO_SAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka -pthread $(CRYPTO_LDLIBS) -o $@
.SECONDARY: $(UNIT_EMU_TIMING_OBJS)

CHECK_SUITES	+= unit-emu-timing
.PHONY: unit-emu-timing
unit-emu-timing: $(UNIT_EMU_TIMING_BIN)
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite unit-emu-timing -- $(UNIT_EMU_TIMING_BIN)
