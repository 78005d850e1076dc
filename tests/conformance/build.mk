# tests/conformance: UnionPay messages from outside the project.
#   conformance-real  real messages from public sources (real/*.txt, each
#                     naming its source) decode to the values the source
#                     states
CHECK_SUITES	+= conformance-real
.PHONY: conformance-real
conformance-real: $(BUILD)/paycard-tool
	@scripts/run-suite $@ --timeout 60 -- /usr/bin/python3 \
		tests/conformance/check_real.py $<
