# tests/unit/hostlink: the host link against forked local servers, plain
# TCP and TLS (certificates generated at test time).
HOSTLINK_TEST	:= $(BUILD)/tests/hostlink
TEST_CERTS	:= $(BUILD)/test-certs

$(HOSTLINK_TEST): $(call sanobj,tests/unit/hostlink/test_hostlink.c $(HOSTLINK_SRCS))
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) -o $@ $^ -lcmocka $(HOSTLINK_LDLIBS)
.SECONDARY: $(call sanobj,tests/unit/hostlink/test_hostlink.c $(HOSTLINK_SRCS))

$(TEST_CERTS)/other-ca.pem: tests/hostsim/gen-test-certs.sh
	@rm -rf $(TEST_CERTS)
	@tests/hostsim/gen-test-certs.sh $(TEST_CERTS)

CHECK_SUITES	+= unit-hostlink
.PHONY: unit-hostlink
unit-hostlink: $(HOSTLINK_TEST) $(TEST_CERTS)/other-ca.pem
	@PAYCARD_TEST_CERTS=$(TEST_CERTS) CMOCKA_MESSAGE_OUTPUT=TAP \
		scripts/run-suite unit-hostlink --timeout 120 -- $(HOSTLINK_TEST)
