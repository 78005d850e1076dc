# tests/txn: the transaction engine end to end: paycardd's test build with
# the fake reader backend (build/tests/paycardd-fake) + paycard-hostsim on
# loopback, driven through the D-Bus API with python3-dbus.
TXN_KEYSTORE_INIT := $(BUILD)/tests/txn-keystore-init

$(TXN_KEYSTORE_INIT): $(call obj,tests/txn/keystore_init.c) $(CRYPTO_LIB) $(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(CRYPTO_LDLIBS)

CHECK_SUITES	+= paycardd-txn
.PHONY: paycardd-txn
paycardd-txn: $(PAYCARDD_FAKE) $(BUILD)/paycardctl $(PAYCARDD_MO) $(BUILD)/paycard-hostsim \
		$(TXN_KEYSTORE_INIT) $(BUILD)/test-certs/other-ca.pem $(BUILD)/paycard-tool
	@PAYCARD_TOOL=$(BUILD)/paycard-tool PAYCARDD=$(PAYCARDD_FAKE) PAYCARDCTL=$(BUILD)/paycardctl PAYCARD_LOCALEDIR=$(BUILD)/locale \
		PAYCARD_TEST_CERTS=$(BUILD)/test-certs \
		PAYCARD_HOSTSIM=$(BUILD)/paycard-hostsim TXN_KEYSTORE_INIT=$(TXN_KEYSTORE_INIT) \
		scripts/run-suite $@ --timeout 600 -- /usr/bin/python3 tests/txn/test_txn.py

# the same sales from a C sd-bus client: the latency a POS frontend in C sees
BENCH_SALE_CLIENT := $(BUILD)/tests/bench-sale-client
$(call obj,tests/txn/bench_sale_client.c): EXTRA_CFLAGS += -Iinclude/uapi
$(BENCH_SALE_CLIENT): $(call obj,tests/txn/bench_sale_client.c)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lsystemd

# sale latency (Enter key -> reply) from python3-dbus and from the C client,
# and paycardd memory after 10 and 1000 sales
BENCH_TARGETS	+= bench-txn
.PHONY: bench-txn
bench-txn: $(PAYCARDD_FAKE) $(PAYCARDD_MO) $(BUILD)/paycard-hostsim $(TXN_KEYSTORE_INIT) \
		$(BENCH_SALE_CLIENT)
	@PAYCARDD=$(PAYCARDD_FAKE) PAYCARD_LOCALEDIR=$(BUILD)/locale \
		PAYCARD_HOSTSIM=$(BUILD)/paycard-hostsim TXN_KEYSTORE_INIT=$(TXN_KEYSTORE_INIT) \
		BENCH_SALE_CLIENT=$(BENCH_SALE_CLIENT) /usr/bin/python3 tests/txn/bench_txn.py
