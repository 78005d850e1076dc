# daemon/common: small helpers shared by every userspace program.
COMMON_SRCS	:= $(wildcard daemon/common/*.c)
# The PCP frame codec is the kernel's own file, compiled unchanged.
FRAME_SRCS	:= kernel/paycard_frame.c

$(BUILD)/libpaycard-common.a: $(call obj,$(COMMON_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
