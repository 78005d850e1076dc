# daemon/paycardd: build fragment (see the top-level Makefile)
#
# build/paycardd, its test build build/tests/paycardd-fake, its message
# catalogs (build/locale), and its suites: paycardd-dbus-xml (docs/dbus/*.xml
# == the daemon's own introspection) and paycardd-api (foreign clients:
# busctl, gdbus, python3-dbus; tests/dbus/), which run the test build.

PAYCARD_VERSION	?= 0.1

# build/tests/paycardd-fake, the tests' daemon: the same objects with the
# fake reader backend (a test's control socket plays readers holding virtual
# EMV cards from tests/emu/card) linked in through the reader source list
# reader_sources_test.c instead of the production one, reader_sources.c.
# build/paycardd (the VM, the systemd unit, install, the demo) has neither.
PAYCARDD_FAKE_SRCS := daemon/paycardd/reader_backend_fake.c daemon/paycardd/reader_sources_test.c
PAYCARDD_VCARD_SRCS := $(VCARD_SRCS)
PAYCARDD_SRCS	:= $(filter-out $(PAYCARDD_FAKE_SRCS),$(wildcard daemon/paycardd/*.c))
PAYCARDD_LIBS	:= -lsystemd -linih -ludev -lkmod -lsqlite3 -lusb-1.0
PAYCARDD_CFLAGS	:= -Iinclude/uapi -I/usr/include/libusb-1.0 -DPAYCARD_VERSION='"$(PAYCARD_VERSION)"'
# the parts unit tests and fuzzers link without the event loop
PAYCARDD_CORE_SRCS := $(addprefix daemon/paycardd/,config.c roles.c log.c notices.c \
		      store.c pinning.c module_check.c pcp_convert.c reader_sources.c) \
		      daemon/txn/fees.c daemon/common/pan.c

$(call obj,$(PAYCARDD_SRCS) $(PAYCARDD_FAKE_SRCS)) $(call sanobj,$(PAYCARDD_SRCS)) \
$(call fuzzobj,$(PAYCARDD_SRCS)): EXTRA_CFLAGS += $(PAYCARDD_CFLAGS)
$(call obj,daemon/paycardd/reader_backend_fake.c): EXTRA_CFLAGS += -Itests/emu/card

# the USB transport speaks the reader protocol with the kernel's frame codec
PAYCARDD_LINK	:= $(TXN_LIB) $(EMV_LIB) $(HOSTLINK_LIB) $(ISO8583_LIB) $(CRYPTO_LIB) \
		   $(BUILD)/libpaycard-common.a
$(BUILD)/paycardd: $(call obj,$(PAYCARDD_SRCS) $(FRAME_SRCS)) $(PAYCARDD_LINK)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PAYCARDD_LIBS) $(HOSTLINK_LDLIBS)

PAYCARDD_FAKE	:= $(BUILD)/tests/paycardd-fake
$(PAYCARDD_FAKE): $(call obj,$(filter-out daemon/paycardd/reader_sources.c,$(PAYCARDD_SRCS)) \
		$(FRAME_SRCS) $(PAYCARDD_FAKE_SRCS) $(PAYCARDD_VCARD_SRCS)) $(PAYCARDD_LINK)
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
		xgettext --keyword=N_ --from-code=UTF-8 -o $(BUILD)/po/paycardd.pot daemon/paycardd/prompts.c; \
		for l in $(PAYCARDD_LINGUAS); do msgcmp daemon/paycardd/po/$$l.po $(BUILD)/po/paycardd.pot; \
		msgfmt --check --statistics -o /dev/null daemon/paycardd/po/$$l.po; done'

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
