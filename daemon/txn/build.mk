# daemon/txn: the transaction engine (libpaycard-txn): journal, sign-in,
# financial transactions, reversal, settlement, fees.  Users link
# $(TXN_LIB) $(HOSTLINK_LIB) $(ISO8583_LIB) $(CRYPTO_LIB)
# $(BUILD)/libpaycard-common.a -lsqlite3 $(HOSTLINK_LDLIBS).
TXN_SRCS	:= $(wildcard daemon/txn/*.c)
TXN_LIB		:= $(BUILD)/libpaycard-txn.a
TXN_SAN_LIB	:= $(BUILD)/libpaycard-txn-san.a

$(TXN_LIB): $(call obj,$(TXN_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

$(TXN_SAN_LIB): $(call sanobj,$(TXN_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

PROGRAMS	+= $(TXN_LIB)
