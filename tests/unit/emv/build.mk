# tests/unit/emv: cmocka suites of libpaycard-emv (ASan+UBSan), one binary
# per concern; the virtual EMV card (tests/emu/card) is built here too
# until the emulator links it.

UNIT_EMV_NAMES	:= crypto track parse flow risk oda params
UNIT_EMV_DEPS	:= $(EMV_SAN_LIB) $(call sanobj,$(EMV_TLV_SRCS) $(COMMON_SRCS)) \
		   $(CRYPTO_SAN_LIB)

$(BUILD)/tests/unit-emv-%: $(BUILD)/san/tests/unit/emv/test_%.o \
		$(call sanobj,tests/unit/emv/script_transport.c \
			tests/unit/emv/terminal_config.c $(VCARD_SRCS)) \
		$(UNIT_EMV_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka $(CRYPTO_LDLIBS) -o $@

$(call sanobj,tests/unit/emv/test_flow.c tests/unit/emv/test_parse.c \
		tests/unit/emv/test_oda.c): \
	EXTRA_CFLAGS += -Itests/emu/card

.SECONDARY: $(UNIT_EMV_NAMES:%=$(BUILD)/san/tests/unit/emv/test_%.o) \
	$(call sanobj,tests/unit/emv/script_transport.c \
		tests/unit/emv/terminal_config.c $(VCARD_SRCS))

CHECK_SUITES	+= $(UNIT_EMV_NAMES:%=unit-emv-%)
.PHONY: $(UNIT_EMV_NAMES:%=unit-emv-%)
$(UNIT_EMV_NAMES:%=unit-emv-%): unit-emv-%: $(BUILD)/tests/unit-emv-%
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite $@ -- $<
