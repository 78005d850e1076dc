# tests/unit/paycardd: cmocka suites of the daemon's pure parts (ASan+UBSan):
# config parsing, roles, notices, reader identity, PAN masking + module ABI,
# the host link's queue (with the engine's busy flag played by the test),
# and the table of the transaction library's errors to D-Bus names.
UNIT_PAYCARDD_NAMES	:= config roles notices reader_identity card pcp link_queue bus_errors
UNIT_PAYCARDD_BINS	:= $(UNIT_PAYCARDD_NAMES:%=$(BUILD)/tests/unit-paycardd-%)

$(call sanobj,$(UNIT_PAYCARDD_NAMES:%=tests/unit/paycardd/test_%.c)): \
	EXTRA_CFLAGS += $(PAYCARDD_CFLAGS)

$(BUILD)/tests/unit-paycardd-%: $(BUILD)/san/tests/unit/paycardd/test_%.o \
		$(PAYCARDD_CORE_SAN_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka $(PAYCARDD_LIBS) -o $@

$(BUILD)/tests/unit-paycardd-link_queue: $(call sanobj,daemon/paycardd/engine/link_queue.c)
$(BUILD)/tests/unit-paycardd-bus_errors: $(call sanobj,daemon/paycardd/bus/errors.c)

CHECK_SUITES	+= $(UNIT_PAYCARDD_NAMES:%=unit-paycardd-%)
.PHONY: $(UNIT_PAYCARDD_NAMES:%=unit-paycardd-%)
$(UNIT_PAYCARDD_NAMES:%=unit-paycardd-%): unit-paycardd-%: $(BUILD)/tests/unit-paycardd-%
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite $@ -- $<
