# tests/unit/frame: cmocka tests of the PCP frame codec (kernel/paycard_frame.c
# built for userspace with ASan+UBSan).
UNIT_FRAME_BIN	:= $(BUILD)/tests/unit-frame

$(UNIT_FRAME_BIN): $(call sanobj,tests/unit/frame/test_frame.c kernel/paycard_frame.c)
	@mkdir -p $(dir $@)
	$(CC) $(SAN_FLAGS) $^ -lcmocka -o $@

CHECK_SUITES	+= unit-frame
.PHONY: unit-frame
unit-frame: $(UNIT_FRAME_BIN)
	@CMOCKA_MESSAGE_OUTPUT=TAP scripts/run-suite unit-frame -- $(UNIT_FRAME_BIN)

# The userspace cost of one feed, valid frame against resync bait (-O2, no
# sanitizers: it measures).
BENCH_FRAME_BIN	:= $(BUILD)/tests/bench-frame

$(BENCH_FRAME_BIN): $(call obj,tests/unit/frame/bench_frame.c kernel/paycard_frame.c)
	@mkdir -p $(dir $@)
	$(CC) $^ -o $@

BENCH_TARGETS	+= bench-frame
.PHONY: bench-frame
bench-frame: $(BENCH_FRAME_BIN)
	@$(BENCH_FRAME_BIN)
