# daemon/iso8583: ISO 8583 codec (dialect tables as data), BER-TLV codec and
# the masking printer.  No crypto here: MACs come in through a callback.
# Users link $(ISO8583_LIB) $(BUILD)/libpaycard-common.a (hex).
ISO8583_SRCS	:= $(wildcard daemon/iso8583/*.c)
ISO8583_LIB	:= $(BUILD)/libpaycard-iso8583.a

$(ISO8583_LIB): $(call obj,$(ISO8583_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
