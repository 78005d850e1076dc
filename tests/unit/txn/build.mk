# tests/unit/txn: cmocka suites of the transaction engine's pure parts
# (ASan+UBSan): the journal (SQLite files) and the fee rules.

UNIT_TXN_NAMES	:= journal fees
UNIT_TXN_BINS	:= $(UNIT_TXN_NAMES:%=$(BUILD)/tests/unit-txn-%)

$(BUILD)/tests/unit-txn-%: $(BUILD)/san/tests/unit/txn/test_%.o $(TXN_SAN_LIB) \
		$(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka -lsqlite3 -lcrypto -o $@

CHECK_SUITES	+= $(UNIT_TXN_NAMES:%=unit-txn-%)
.PHONY: $(UNIT_TXN_NAMES:%=unit-txn-%)
$(UNIT_TXN_NAMES:%=unit-txn-%): unit-txn-%: $(BUILD)/tests/unit-txn-%
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite $@ -- $<
