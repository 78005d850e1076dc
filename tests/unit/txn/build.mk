# tests/unit/txn: cmocka suites of the transaction engine's pure parts
# (ASan+UBSan): the journal (SQLite files), the fee rules and the working
# keys of a sign-in answer, the response code table.

UNIT_TXN_NAMES	:= journal fees workkeys response_codes
UNIT_TXN_BINS	:= $(UNIT_TXN_NAMES:%=$(BUILD)/tests/unit-txn-%)

$(BUILD)/tests/unit-txn-%: $(BUILD)/san/tests/unit/txn/test_%.o $(TXN_SAN_LIB) \
		$(CRYPTO_SAN_LIB) $(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka -lsqlite3 -lcrypto -o $@

CHECK_SUITES	+= $(UNIT_TXN_NAMES:%=unit-txn-%)
.PHONY: $(UNIT_TXN_NAMES:%=unit-txn-%)
$(UNIT_TXN_NAMES:%=unit-txn-%): unit-txn-%: $(BUILD)/tests/unit-txn-%
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite $@ -- $<
