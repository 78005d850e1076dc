# daemon/hostlink: TCP/TLS link to the acquirer (primary/backup, framing).
# Users link $(HOSTLINK_LIB) $(HOSTLINK_LDLIBS).
HOSTLINK_SRCS	:= $(wildcard daemon/hostlink/*.c)
HOSTLINK_LIB	:= $(BUILD)/libpaycard-hostlink.a
HOSTLINK_LDLIBS	:= -lssl -lcrypto -lpthread

$(HOSTLINK_LIB): $(call obj,$(HOSTLINK_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
