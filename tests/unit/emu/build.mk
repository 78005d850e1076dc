# tests/unit/emu: cmocka tests of the reader emulator's card profiles
# (tests/emu/emu_profile.c, ASan+UBSan).
UNIT_EMU_BIN	:= $(BUILD)/tests/unit-emu-profile

$(UNIT_EMU_BIN): $(call sanobj,tests/unit/emu/test_profile.c tests/emu/emu_profile.c)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka -o $@

CHECK_SUITES	+= unit-emu-profile
.PHONY: unit-emu-profile
unit-emu-profile: $(UNIT_EMU_BIN)
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite unit-emu-profile -- $(UNIT_EMU_BIN)
