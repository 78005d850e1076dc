# tests/conformance: UnionPay messages from outside the project.
#   conformance-real  real messages from public sources (real/*.txt, each
#                     naming its source) decode to the values the source
#                     states
#   conformance-hostsim  the host simulator refuses (30, rule logged)
#                     requests built by hand that break the written table
#                     (unionpay-table.txt) and accepts one that keeps it
#   conformance-hand  messages built by hand from the table, MAC computed
#                     with the openssl command line: paycard-tool rebuilds
#                     them byte for byte and computes the same MAC
CHECK_SUITES	+= conformance-real conformance-hostsim conformance-hand
.PHONY: conformance-real conformance-hostsim conformance-hand
conformance-real: $(BUILD)/paycard-tool
	@scripts/run-suite $@ --timeout 60 -- /usr/bin/python3 \
		tests/conformance/check_real.py $<
conformance-hostsim: $(BUILD)/paycard-tool $(HOSTSIM)
	@scripts/run-suite $@ --timeout 60 -- /usr/bin/python3 \
		tests/conformance/check_hostsim_table.py $^
conformance-hand: $(BUILD)/paycard-tool
	@scripts/run-suite $@ --timeout 60 -- /usr/bin/python3 \
		tests/conformance/check_hand.py $<
