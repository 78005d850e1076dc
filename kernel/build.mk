# kernel: build fragment (see the top-level Makefile)
