# daemon/paycardd: build fragment (see the top-level Makefile)
#
# build/paycardd, its test build build/tests/paycardd-fake, its message
# catalogs (build/locale), and its suites: paycardd-dbus-xml (docs/dbus/*.xml
# == the daemon's own introspection) and paycardd-api (foreign clients:
# busctl, gdbus, python3-dbus; tests/dbus/), which run the test build.

PAYCARD_VERSION	?= 0.1

# Sources by layer (docs/paycardd-architecture.md): main.c wires the daemon,
# bus/ serves D-Bus, session/ runs the cardholder flow, engine/ owns the
# host link, readers/ finds and drives readers, the top level is the core.
# Every .c except main.c and the reader source list goes into one internal
# archive, $(PAYCARDD_LIB), that both daemons link:
#   build/paycardd:              main.c + readers/reader_sources.c (none)
#   build/tests/paycardd-fake:   main.c + tests/paycardd/ (the fake reader
#                                backend: a test's control socket plays
#                                readers holding virtual EMV cards from
#                                tests/emu/card, listed by reader_sources_test.c)
# build/paycardd (the VM, the systemd unit, install, the demo) has no test double.
PAYCARDD_MAIN	:= daemon/paycardd/main.c
PAYCARDD_SOURCE_LIST := daemon/paycardd/readers/reader_sources.c
# the reader event decoder is the kernel's own file (include/paycard/event.h)
PAYCARDD_EVENT_DECODER := kernel/paycard_event.c
PAYCARDD_LIB_SRCS := $(filter-out $(PAYCARDD_MAIN) $(PAYCARDD_SOURCE_LIST), \
		     $(wildcard daemon/paycardd/*.c daemon/paycardd/*/*.c)) $(PAYCARDD_EVENT_DECODER)
PAYCARDD_FAKE_SRCS := $(wildcard tests/paycardd/*.c)
PAYCARDD_VCARD_SRCS := $(VCARD_SRCS)
PAYCARDD_LIBS	:= -lsystemd -linih -ludev -lkmod -lsqlite3 -lusb-1.0
PAYCARDD_CFLAGS	:= -Iinclude/uapi -I/usr/include/libusb-1.0 -DPAYCARD_VERSION='"$(PAYCARD_VERSION)"'
# the core without the event loop, which unit tests (ASan+UBSan build) and
# fuzzers (clang) link as an archive too: configuration, roles, log,
# notices, store, reader identity, module check, reader event conversion
PAYCARDD_CORE_SRCS := $(filter-out $(PAYCARDD_MAIN) daemon/paycardd/daemon.c, \
		      $(wildcard daemon/paycardd/*.c)) \
		      $(addprefix daemon/paycardd/readers/,reader_identity.c module_check.c \
		      pcp_convert.c reader_sources.c) $(PAYCARDD_EVENT_DECODER) \
		      daemon/txn/fees.c daemon/common/pan.c
PAYCARDD_ALL_SRCS := $(PAYCARDD_MAIN) $(PAYCARDD_SOURCE_LIST) $(PAYCARDD_LIB_SRCS)

$(call obj,$(PAYCARDD_ALL_SRCS) $(PAYCARDD_FAKE_SRCS)) $(call sanobj,$(PAYCARDD_ALL_SRCS)) \
$(call fuzzobj,$(PAYCARDD_ALL_SRCS)): EXTRA_CFLAGS += $(PAYCARDD_CFLAGS)
$(call obj,$(PAYCARDD_FAKE_SRCS)): EXTRA_CFLAGS += -Itests/emu/card

PAYCARDD_LIB	:= $(BUILD)/libpaycardd.a
PAYCARDD_CORE_SAN_LIB := $(BUILD)/libpaycardd-core-san.a
PAYCARDD_CORE_FUZZ_LIB := $(BUILD)/libpaycardd-core-fuzz.a
$(PAYCARDD_LIB): $(call obj,$(PAYCARDD_LIB_SRCS))
$(PAYCARDD_CORE_SAN_LIB): $(call sanobj,$(PAYCARDD_CORE_SRCS))
$(PAYCARDD_CORE_FUZZ_LIB): $(call fuzzobj,$(PAYCARDD_CORE_SRCS))
$(PAYCARDD_LIB) $(PAYCARDD_CORE_SAN_LIB) $(PAYCARDD_CORE_FUZZ_LIB):
	@rm -f $@
	ar rcs $@ $^

# the USB transport speaks the reader protocol with the kernel's frame codec
PAYCARDD_LINK	:= $(PAYCARDD_LIB) $(TXN_LIB) $(EMV_LIB) $(HOSTLINK_LIB) $(ISO8583_LIB) \
		   $(CRYPTO_LIB) $(BUILD)/libpaycard-common.a
$(BUILD)/paycardd: $(call obj,$(PAYCARDD_MAIN) $(PAYCARDD_SOURCE_LIST) $(FRAME_SRCS)) $(PAYCARDD_LINK)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PAYCARDD_LIBS) $(HOSTLINK_LDLIBS)

PAYCARDD_FAKE	:= $(BUILD)/tests/paycardd-fake
$(PAYCARDD_FAKE): $(call obj,$(PAYCARDD_MAIN) $(PAYCARDD_FAKE_SRCS) $(FRAME_SRCS) \
		$(PAYCARDD_VCARD_SRCS)) $(PAYCARDD_LINK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PAYCARDD_LIBS) $(HOSTLINK_LDLIBS)

PAYCARDD_LINGUAS := $(shell cat daemon/paycardd/po/LINGUAS)
PAYCARDD_MO	:= $(foreach l,$(PAYCARDD_LINGUAS),$(BUILD)/locale/$(l)/LC_MESSAGES/paycardd.mo)
$(BUILD)/locale/%/LC_MESSAGES/paycardd.mo: daemon/paycardd/po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

PROGRAMS	+= $(BUILD)/paycardd $(PAYCARDD_FAKE) $(PAYCARDD_MO)

# ---- suites: the API through foreign clients (tests/dbus) ----
PAYCARDD_TEST_ENV := PAYCARDD=$(PAYCARDD_FAKE) PAYCARD_LOCALEDIR=$(BUILD)/locale
PAYCARDD_API_SUITES := paycardd-dbus-xml paycardd-api paycardd-limits
CHECK_SUITES	+= $(PAYCARDD_API_SUITES)
.PHONY: $(PAYCARDD_API_SUITES)
paycardd-dbus-xml: $(PAYCARDD_FAKE) $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 60 -- \
		/usr/bin/python3 tests/dbus/check_introspection.py
paycardd-api: $(PAYCARDD_FAKE) $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 300 -- \
		/usr/bin/python3 tests/dbus/test_api.py
paycardd-limits: $(PAYCARDD_FAKE) $(BUILD)/paycardd $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) PAYCARDD_PRODUCTION=$(BUILD)/paycardd scripts/run-suite $@ --timeout 300 -- \
		/usr/bin/python3 tests/dbus/test_limits.py

# ---- bench: start-to-ready, idle RSS, method call vs raw socket echo ----
$(BUILD)/tests/bench_rtt: $(call obj,tests/dbus/bench_rtt.c)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lsystemd

BENCH_TARGETS	+= bench-paycardd
.PHONY: bench-paycardd
bench-paycardd: $(PAYCARDD_FAKE) $(PAYCARDD_MO) $(BUILD)/tests/bench_rtt
	@$(PAYCARDD_TEST_ENV) BENCH_RTT=$(BUILD)/tests/bench_rtt /usr/bin/python3 tests/dbus/bench_paycardd.py

# the same API on a system bus (a private dbus-daemon with the shipped
# policy file), and the message catalog covering every prompt
CHECK_SUITES	+= paycardd-system-bus paycardd-po
.PHONY: paycardd-system-bus paycardd-po
paycardd-system-bus: $(PAYCARDD_FAKE) $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 120 -- \
		/usr/bin/python3 tests/dbus/test_system_bus.py
paycardd-po:
	@mkdir -p $(BUILD)/po
	@scripts/run-suite $@ --timeout 60 -- sh -c 'set -e; \
		xgettext --keyword=N_ --from-code=UTF-8 -o $(BUILD)/po/paycardd.pot daemon/paycardd/session/prompts.c; \
		for l in $(PAYCARDD_LINGUAS); do msgcmp daemon/paycardd/po/$$l.po $(BUILD)/po/paycardd.pot; \
		msgfmt --check --statistics -o /dev/null daemon/paycardd/po/$$l.po; done'

# the layering (docs/paycardd-architecture.md): no import circle inside
# daemon/paycardd/, includes run main -> bus -> session -> engine/readers
# -> core, only bus/ includes sd-bus.h
CHECK_SUITES	+= paycardd-layers
.PHONY: paycardd-layers
paycardd-layers:
	@scripts/run-suite $@ --timeout 60 -- scripts/include-graph --check daemon/paycardd

# shipped files: the hardened unit's systemd-analyze exposure stays <= 2.0,
# the example paycardd.conf parses
CHECK_SUITES	+= paycardd-system-files
.PHONY: paycardd-system-files
paycardd-system-files: $(BUILD)/paycardd
	@scripts/run-suite $@ --timeout 60 -- sh -c 'set -e; \
		systemd-analyze security --offline=yes daemon/systemd/paycardd.service | tail -n 1; \
		systemd-analyze security --offline=yes --threshold=20 daemon/systemd/paycardd.service >/dev/null; \
		$(BUILD)/paycardd --config daemon/systemd/paycardd.conf --check-config'

# ---- install (integrators, packaging): make install-paycardd DESTDIR=... ----
PREFIX		?= /usr
.PHONY: install-paycardd
install-paycardd: $(BUILD)/paycardd $(BUILD)/paycardctl $(PAYCARDD_MO)
	install -D -m 0755 $(BUILD)/paycardd $(DESTDIR)$(PREFIX)/sbin/paycardd
	install -D -m 0755 $(BUILD)/paycardctl $(DESTDIR)$(PREFIX)/bin/paycardctl
	install -D -m 0644 daemon/systemd/paycardd.service $(DESTDIR)$(PREFIX)/lib/systemd/system/paycardd.service
	install -D -m 0644 daemon/systemd/paycardd.socket $(DESTDIR)$(PREFIX)/lib/systemd/system/paycardd.socket
	install -D -m 0644 daemon/systemd/sysusers.d/paycard.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/paycard.conf
	install -D -m 0644 daemon/systemd/tmpfiles.d/paycard.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/paycard.conf
	install -D -m 0644 daemon/systemd/dbus-1/system.d/org.paycard.conf \
		$(DESTDIR)$(PREFIX)/share/dbus-1/system.d/org.paycard.conf
	install -D -m 0644 daemon/systemd/paycardd.conf $(DESTDIR)/etc/paycard/paycardd.conf
	install -D -m 0644 docs/man/paycardd.8 $(DESTDIR)$(PREFIX)/share/man/man8/paycardd.8
	install -D -m 0644 docs/man/paycardctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/paycardctl.1
	install -D -m 0644 docs/man/paycard.4 $(DESTDIR)$(PREFIX)/share/man/man4/paycard.4
	install -D -m 0644 docs/dbus/org.paycard.Terminal1.xml \
		$(DESTDIR)$(PREFIX)/share/dbus-1/interfaces/org.paycard.Terminal1.xml
	install -D -m 0644 docs/dbus/org.paycard.Reader1.xml \
		$(DESTDIR)$(PREFIX)/share/dbus-1/interfaces/org.paycard.Reader1.xml
	$(foreach l,$(PAYCARDD_LINGUAS),install -D -m 0644 $(BUILD)/locale/$(l)/LC_MESSAGES/paycardd.mo \
		$(DESTDIR)$(PREFIX)/share/locale/$(l)/LC_MESSAGES/paycardd.mo;)

# paycardd with the real driver and the reader emulator in the QEMU VM
# (hotplug, unplug/replug, a swapped serial held for approval, doctor)
CHECK_SUITES	+= paycardd-vm
.PHONY: paycardd-vm
paycardd-vm: $(BUILD)/paycardd $(BUILD)/paycardctl \
		$(BUILD)/paycard-emu $(BUILD)/paycard-emuctl $(BUILD)/paycard-vmtest
	@scripts/run-suite $@ --timeout 900 -- env BUILD=$(BUILD) tests/dbus/vm/run-paycardd-vm
