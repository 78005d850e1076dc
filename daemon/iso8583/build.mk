# daemon/iso8583: build fragment (see the top-level Makefile)
