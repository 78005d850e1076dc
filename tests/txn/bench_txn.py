#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Sale latency and memory: N swipe sales with PIN through paycardd
against paycard-hostsim on loopback.  Prints numbers, never fails on them.

latency = from the Enter key (the last reader event, sent once PinDigits
shows every digit, as a cardholder presses it) to the D-Bus reply: PIN
block, MAC, the outcome's journal commit (synchronous=FULL; the record and
its reversal were committed when the card was read, while the PIN was
typed), the host round trip and the host's own ledger writes.  The
stack's share = latency minus the result's host_usec (connect, send, wait
for the answer on the host link).
That share also holds this client's own work: delivering the Enter key
through the fake reader's socket, and dispatching in Python the signals
(Prompt, TransactionState, PropertiesChanged) queued ahead of the reply.
paycardd's own share comes from the result: elapsed_usec (from the loop's
wake-up for the Enter key to the reply) minus host_usec.  No card APDU
time: these are swipe sales.

Then the same number of sales against the same daemon from a C sd-bus
client (tests/txn/bench_sale_client.c, the only client on the bus by then):
the stack's share as a POS frontend in C sees it, without Python's
dispatching."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from txnworld import (DEBIT, PIN, HostSim, Terminal, make_keystore, sale_args, swipe_pin,  # noqa
                      track2)

SALES = int(os.environ.get("TXN_BENCH_SALES", "1000"))
SALE_CLIENT = os.environ.get("BENCH_SALE_CLIENT", "build/tests/bench-sale-client")


def median_p99_ms(seconds):
    """(median, p99) of @seconds in ms; p99 = the value at 1-based rank
    floor(0.99 n) of the sorted samples."""
    v = sorted(seconds)
    return v[len(v) // 2] * 1000, v[int(len(v) * 0.99) - 1] * 1000


def one_sale(t, amount):
    box = {}
    t.signals.clear()
    t.term.get_dbus_method("Sale", "org.paycard.Terminal1")(
        *sale_args(amount), reply_handler=lambda r: box.setdefault("r", r),
        error_handler=lambda e: box.setdefault("e", e), timeout=30)
    t.wait(lambda: any(s[0] == "TransactionState" and s[2] == "waiting-card"
                       for s in t.signals), 5)
    keys = swipe_pin(DEBIT, PIN)
    t.play(keys[:-1])
    # Enter once every digit shows, as a cardholder presses it (the card's
    # record was written meanwhile, as with a person typing)
    t.wait(lambda: ("PinDigits", "r0", str(len(PIN))) in t.signals, 5)
    time.sleep(0.05)            # a person's pause; paycardd idles meanwhile
    t.d.fake(*keys[-1])
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
        c_lines = run_c_client(t)
    finally:
        t.stop()
        h.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print("txn-bench: %d sales (%d not approved)" % (SALES, failed))
    print("txn-bench: Enter -> reply median %.2f ms, p99 %.2f ms" % median_p99_ms(lat))
    print("txn-bench: minus host link time (host_usec) = the stack as this Python client "
          "sees it: median %.2f ms, p99 %.2f ms" % median_p99_ms(stack))
    print("txn-bench: paycardd's own share (elapsed_usec - host_usec, from the Enter key's "
          "wake-up to the reply sent): median %.2f ms, p99 %.2f ms" % median_p99_ms(own))
    print("txn-bench: paycardd RSS " +
          ", ".join("after %d sales %d KiB" % (n, kib) for n, kib in sorted(rss.items())))
    return report_c_client(c_lines)


def run_c_client(t):
    """The C client's output lines, run against @t's daemon and fake reader
    with the Python connection closed: one client at a time, as in the
    Python run (a connection nobody reads would fill with signals)."""
    t.conn.close()
    proc = subprocess.run([SALE_CLIENT, t.d.address, os.path.join(t.d.dir, "fake.sock"),
                           track2(DEBIT), PIN, str(SALES)],
                          capture_output=True, text=True, timeout=60 + SALES * 35)
    if proc.returncode not in (0, 1) or proc.stderr:
        print("txn-bench: C client exited %d: %s" % (proc.returncode, proc.stderr.strip()))
    return proc.stdout.splitlines()


def report_c_client(lines):
    """Print the C client's numbers; 1 when it did not report every sale."""
    ok = [[int(x) / 1e6 for x in line.split()[1:4]] for line in lines if line.startswith("ok ")]
    fails = [line for line in lines if not line.startswith("ok ")]
    print("txn-bench: C client (sd-bus): %d sales (%d not approved%s)"
          % (len(lines), len(fails), ": " + fails[0] if fails else ""))
    if not ok or len(lines) != SALES:
        print("txn-bench: C client reported %d of %d sales" % (len(lines), SALES))
        return 1
    print("txn-bench: C client (sd-bus): Enter -> reply median %.2f ms, p99 %.2f ms"
          % median_p99_ms([client for client, _, _ in ok]))
    print("txn-bench: C client (sd-bus): Enter -> reply minus host_usec median %.2f ms, "
          "p99 %.2f ms" % median_p99_ms([client - host for client, host, _ in ok]))
    print("txn-bench: C client run, paycardd's own share (elapsed_usec - host_usec): "
          "median %.2f ms, p99 %.2f ms"
          % median_p99_ms([elapsed - host for _, host, elapsed in ok]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
