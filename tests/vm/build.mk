# tests/vm: build fragment (see the top-level Makefile)
