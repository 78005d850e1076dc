# daemon/emv: the EMV card-reading layer (libpaycard-emv): APDU exchange
# over a transport callback, application selection, GPO and records, risk
# steps, GENERATE AC, field 55, EMV cryptograms and magnetic stripe tracks.
# Users link $(EMV_LIB) $(ISO8583_LIB) (BER-TLV) $(CRYPTO_LIB)
# $(BUILD)/libpaycard-common.a $(CRYPTO_LDLIBS).
EMV_SRCS	:= $(wildcard daemon/emv/*.c)
EMV_LIB		:= $(BUILD)/libpaycard-emv.a
EMV_SAN_LIB	:= $(BUILD)/libpaycard-emv-san.a
# the BER-TLV codec the EMV layer parses with (daemon/iso8583/tlv.c)
EMV_TLV_SRCS	:= daemon/iso8583/tlv.c

$(EMV_LIB): $(call obj,$(EMV_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(EMV_SAN_LIB): $(call sanobj,$(EMV_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
