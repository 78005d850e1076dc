# tests/kunit: build fragment (see the top-level Makefile)
