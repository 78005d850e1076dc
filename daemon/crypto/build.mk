# daemon/crypto: build fragment (see the top-level Makefile)
# libpaycard-crypto: ciphers, check values, MACs, PIN blocks, DUKPT, TR-31
# and the key store, over OpenSSL 3 EVP.  Users link $(CRYPTO_LIB)
# $(BUILD)/libpaycard-common.a (hex) and $(CRYPTO_LDLIBS).
CRYPTO_SRCS	:= $(wildcard daemon/crypto/*.c)
CRYPTO_LIB	:= $(BUILD)/libpaycard-crypto.a
CRYPTO_SAN_LIB	:= $(BUILD)/libpaycard-crypto-san.a
CRYPTO_LDLIBS	:= -lcrypto -lpthread

$(CRYPTO_LIB): $(call obj,$(CRYPTO_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^

# ASan+UBSan build for the unit tests of every area that links the library.
$(CRYPTO_SAN_LIB): $(call sanobj,$(CRYPTO_SRCS))
	@mkdir -p $(dir $@)
	$(AR) rcs $@ $^
