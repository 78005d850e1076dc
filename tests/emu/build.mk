# tests/emu: build fragment (see the top-level Makefile)
