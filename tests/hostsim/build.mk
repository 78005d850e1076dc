# tests/hostsim: build fragment (see the top-level Makefile)
