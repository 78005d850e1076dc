# daemon/tool: build fragment (see the top-level Makefile)
