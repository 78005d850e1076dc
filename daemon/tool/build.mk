# paycard-tool: the integrators' workbench, one cmd_*.c per command family
# (cmd_iso8583.c drives the ISO 8583 and TLV codecs of daemon/iso8583).
TOOL_SRCS	:= $(wildcard daemon/tool/*.c)

$(BUILD)/paycard-tool: $(call obj,$(TOOL_SRCS)) $(ISO8583_LIB) $(CRYPTO_LIB) \
		$(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) $^ $(CRYPTO_LDLIBS) -o $@

PROGRAMS	+= $(BUILD)/paycard-tool

BENCH_TARGETS	+= bench-crypto
.PHONY: bench-crypto
bench-crypto: $(BUILD)/paycard-tool
	$(BUILD)/paycard-tool bench
