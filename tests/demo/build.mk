# tests/demo: issue 6 end to end in the QEMU VM: paycardd with the kernel
# driver and the reader emulator, paycard-hostsim as the acquirer,
# paycardctl as the cashier (tests/demo/README.md).
#
#   make demo        the narrated demonstration (sign-in, chip sale, swipe
#                    sale, void, settlement, receipts and report)
#   txn-vm (suite)   the transaction scenarios, the host ledger checked
#                    and reconciled with the journal
DEMO_GUEST_PROGS := $(VM_GUEST_PROGS) $(BUILD)/paycardd $(BUILD)/paycardctl \
		    $(BUILD)/paycard-hostsim $(TXN_KEYSTORE_INIT)

CHECK_SUITES	+= txn-vm
.PHONY: txn-vm

txn-vm: $(DEMO_GUEST_PROGS)
	@scripts/run-suite txn-vm --timeout 900 -- env BUILD=$(BUILD) tests/demo/run-txn-vm

# On a fresh machine the Debian packages come first, then the build.
demo:
	@scripts/deps --quiet
	@$(MAKE) --no-print-directory demo-run
.PHONY: demo-run
demo-run: $(DEMO_GUEST_PROGS)
	@env BUILD=$(BUILD) tests/demo/run-demo
