# daemon/paycardd: build fragment (see the top-level Makefile)
