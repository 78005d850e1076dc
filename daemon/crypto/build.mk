# daemon/crypto: build fragment (see the top-level Makefile)
