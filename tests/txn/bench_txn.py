#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Sale latency and memory: N swipe sales with PIN through paycardd
against paycard-hostsim on loopback.  Prints numbers, never fails on them.

latency = from the Enter key (the last reader event) to the D-Bus reply:
PIN block, MAC, the outcome's journal commit (synchronous=FULL; the record
and its reversal were committed when the card was read, while the PIN was
typed), the host round trip and the host's own ledger writes.  The stack's share = latency minus the
result's host_usec (connect, send, wait for the answer on the host link).
That share also holds this client's own work: delivering the Enter key
through the fake reader's socket, and dispatching in Python the signals
(Prompt, TransactionState, PropertiesChanged) queued ahead of the reply.
paycardd's own share comes from the result: elapsed_usec (from the loop's
wake-up for the Enter key to the reply) minus host_usec.  No card APDU
time: these are swipe sales."""

import os
import shutil
import sys
import tempfile
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from txnworld import DEBIT, PIN, HostSim, Terminal, make_keystore, sale_args, swipe_pin  # noqa

SALES = int(os.environ.get("TXN_BENCH_SALES", "1000"))


def one_sale(t, amount):
    box = {}
    t.signals.clear()
    t.term.get_dbus_method("Sale", "org.paycard.Terminal1")(
        *sale_args(amount), reply_handler=lambda r: box.setdefault("r", r),
        error_handler=lambda e: box.setdefault("e", e), timeout=30)
    t.wait(lambda: any(s[0] == "TransactionState" and s[2] == "waiting-card"
                       for s in t.signals), 5)
    for a in swipe_pin(DEBIT, PIN):
        t.d.fake(*a)
    start = time.perf_counter()
    ctx = GLib.MainContext.default()
    while not box and time.perf_counter() - start < 30:
        ctx.iteration(True)     # wakes on the reply itself
    elapsed = time.perf_counter() - start
    ok = "r" in box and str(box["r"]["result"]) == "approved"
    host = int(box["r"].get("host_usec", 0)) / 1e6 if ok else 0.0
    own = int(box["r"].get("elapsed_usec", 0)) / 1e6 - host if ok else 0.0
    return ok, elapsed, host, own


def main():
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    workdir = tempfile.mkdtemp(prefix="paycard-txn-bench-")
    os.chmod(workdir, 0o755)
    make_keystore(workdir)
    h = HostSim(workdir)
    t = Terminal(workdir, h.port, os.path.join(workdir, "state"))
    lat, stack, own, failed, rss = [], [], [], 0, {}
    try:
        for i in range(SALES):
            ok, secs, host, inside = one_sale(t, 100)
            failed += not ok
            lat.append(secs)
            stack.append(secs - host)
            own.append(inside)
            if i + 1 in (10, 100, 1000):
                rss[i + 1] = t.d.rss_kib()
        rss[SALES] = t.d.rss_kib()
    finally:
        t.stop()
        h.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    lat.sort()
    stack.sort()
    own.sort()
    print("txn-bench: %d sales (%d not approved)" % (SALES, failed))
    print("txn-bench: Enter -> reply median %.2f ms, p99 %.2f ms" %
          (lat[len(lat) // 2] * 1000, lat[int(len(lat) * 0.99) - 1] * 1000))
    print("txn-bench: minus host link time (host_usec) = the stack as this Python client "
          "sees it: median %.2f ms, p99 %.2f ms"
          % (stack[len(stack) // 2] * 1000, stack[int(len(stack) * 0.99) - 1] * 1000))
    print("txn-bench: paycardd's own share (elapsed_usec - host_usec, from the Enter key's "
          "wake-up to the reply sent): median %.2f ms, p99 %.2f ms"
          % (own[len(own) // 2] * 1000, own[int(len(own) * 0.99) - 1] * 1000))
    print("txn-bench: paycardd RSS " +
          ", ".join("after %d sales %d KiB" % (n, kib) for n, kib in sorted(rss.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
