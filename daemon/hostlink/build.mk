# daemon/hostlink: build fragment (see the top-level Makefile)
