# daemon/paycardd: build fragment (see the top-level Makefile)
#
# build/paycardd, its message catalogs (build/locale), and its suites:
# paycardd-dbus-xml (docs/dbus/*.xml == the daemon's own introspection) and
# paycardd-api (foreign clients: busctl, gdbus, python3-dbus; tests/dbus/).

PAYCARD_VERSION	?= 0.1
PAYCARDD_SRCS	:= $(wildcard daemon/paycardd/*.c)
PAYCARDD_LIBS	:= -lsystemd -linih -ludev -lkmod -lsqlite3
PAYCARDD_CFLAGS	:= -Iinclude/uapi -DPAYCARD_VERSION='"$(PAYCARD_VERSION)"'
# the parts unit tests and fuzzers link without the event loop
PAYCARDD_CORE_SRCS := $(addprefix daemon/paycardd/,config.c roles.c log.c notices.c \
		      store.c pinning.c module_check.c card_pan.c)

$(call obj,$(PAYCARDD_SRCS)) $(call sanobj,$(PAYCARDD_SRCS)) \
$(call fuzzobj,$(PAYCARDD_SRCS)): EXTRA_CFLAGS += $(PAYCARDD_CFLAGS)

$(BUILD)/paycardd: $(call obj,$(PAYCARDD_SRCS))
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(PAYCARDD_LIBS)

PAYCARDD_LINGUAS := $(shell cat daemon/paycardd/po/LINGUAS)
PAYCARDD_MO	:= $(foreach l,$(PAYCARDD_LINGUAS),$(BUILD)/locale/$(l)/LC_MESSAGES/paycardd.mo)
$(BUILD)/locale/%/LC_MESSAGES/paycardd.mo: daemon/paycardd/po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

PROGRAMS	+= $(BUILD)/paycardd $(PAYCARDD_MO)

# ---- suites: the API through foreign clients (tests/dbus) ----
PAYCARDD_TEST_ENV := PAYCARDD=$(BUILD)/paycardd PAYCARD_LOCALEDIR=$(BUILD)/locale
PAYCARDD_API_SUITES := paycardd-dbus-xml paycardd-api paycardd-limits
CHECK_SUITES	+= $(PAYCARDD_API_SUITES)
.PHONY: $(PAYCARDD_API_SUITES)
paycardd-dbus-xml: $(BUILD)/paycardd $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 60 -- \
		/usr/bin/python3 tests/dbus/check_introspection.py
paycardd-api: $(BUILD)/paycardd $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 300 -- \
		/usr/bin/python3 tests/dbus/test_api.py
paycardd-limits: $(BUILD)/paycardd $(PAYCARDD_MO)
	@$(PAYCARDD_TEST_ENV) scripts/run-suite $@ --timeout 300 -- \
		/usr/bin/python3 tests/dbus/test_limits.py

# ---- bench: start-to-ready, idle RSS, method call vs raw socket echo ----
$(BUILD)/tests/bench_rtt: $(call obj,tests/dbus/bench_rtt.c)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lsystemd

BENCH_TARGETS	+= bench-paycardd
.PHONY: bench-paycardd
bench-paycardd: $(BUILD)/paycardd $(PAYCARDD_MO) $(BUILD)/tests/bench_rtt
	@$(PAYCARDD_TEST_ENV) BENCH_RTT=$(BUILD)/tests/bench_rtt /usr/bin/python3 tests/dbus/bench_paycardd.py
