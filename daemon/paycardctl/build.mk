# daemon/paycardctl: build fragment (see the top-level Makefile)
