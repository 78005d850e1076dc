# tests/unit: build fragment (see the top-level Makefile)
