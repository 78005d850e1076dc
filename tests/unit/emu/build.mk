# tests/unit/emu: cmocka tests of the reader emulator's card profiles
# (tests/emu/emu_profile.c, ASan+UBSan), including the emv-card line run
# through the real terminal flow against the virtual EMV card.
UNIT_EMU_BIN	:= $(BUILD)/tests/unit-emu-profile
UNIT_EMU_OBJS	:= $(call sanobj,tests/unit/emu/test_profile.c tests/emu/emu_profile.c \
		   tests/emu/card/virtual_card.c tests/emu/card/card_profile.c \
		   $(EMV_TLV_SRCS) $(COMMON_SRCS))

$(UNIT_EMU_BIN): $(UNIT_EMU_OBJS) $(EMV_SAN_LIB) $(CRYPTO_SAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka $(CRYPTO_LDLIBS) -o $@
.SECONDARY: $(UNIT_EMU_OBJS)

CHECK_SUITES	+= unit-emu-profile
.PHONY: unit-emu-profile
unit-emu-profile: $(UNIT_EMU_BIN)
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite unit-emu-profile -- $(UNIT_EMU_BIN)
