# daemon/tool: build fragment (see the top-level Makefile)
# paycard-tool: the integrators' workbench.  cmd_iso8583.c belongs to the
# ISO 8583 library; its objects come in through ISO8583_LIB when
# daemon/iso8583/build.mk defines it.
TOOL_SRCS	:= $(wildcard daemon/tool/*.c)

$(BUILD)/paycard-tool: $(call obj,$(TOOL_SRCS)) $(ISO8583_LIB) $(CRYPTO_LIB) \
		$(BUILD)/libpaycard-common.a
	@mkdir -p $(dir $@)
	$(CC) $^ $(ISO8583_LDLIBS) $(CRYPTO_LDLIBS) -o $@

PROGRAMS	+= $(BUILD)/paycard-tool

BENCH_TARGETS	+= bench-crypto
.PHONY: bench-crypto
bench-crypto: $(BUILD)/paycard-tool
	$(BUILD)/paycard-tool bench
