# tests/fuzz: build fragment (see the top-level Makefile)
