#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""paycardd's D-Bus API through clients nobody here wrote: busctl and gdbus
(as root and as other uids through setpriv) and Debian's python3-dbus.
Fake readers stand in for hardware.  TAP output."""

import os
import subprocess
import sys
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, Tap, run, settle  # noqa: E402

TERMINAL = "org.paycard.Terminal1"
READER = "org.paycard.Reader1"
# 19-digit PAN: Luhn over 621234567890123456 (from the right, every other
# digit doubled: 3+8+4+0+7+3+8+4+4 = 41, the rest 5+3+1+9+7+5+3+1+6 = 40)
# gives 81, so the check digit is 9; expiry 25/12, service code 201
T2_PAN19 = "6212345678901234569=25122011234"
# the same track with check digit 7: fails Luhn, so not a card number
T2_BAD_LUHN = "6212345678901234567=25122011234"
ENGINE_CALLS = [
    ("SignIn", ()), ("SignOut", ()), ("Settle", ()),
    ("Sale", ("r0", dbus.UInt64(100), dbus.Dictionary({}, signature="sv"))),
    ("Void", ("r0", "000001", dbus.Dictionary({}, signature="sv"))),
    ("Refund", ("r0", dbus.UInt64(100), "123456789012", dbus.Dictionary({}, signature="sv"))),
    ("Balance", ("r0", dbus.Dictionary({}, signature="sv"))),
    ("PreAuth", ("r0", dbus.UInt64(100), dbus.Dictionary({}, signature="sv"))),
    ("PreAuthVoid", ("r0", "123456", dbus.Dictionary({}, signature="sv"))),
    ("PreAuthComplete", ("r0", dbus.UInt64(100), "123456", dbus.Dictionary({}, signature="sv"))),
    ("PreAuthCompleteVoid", ("r0", "000001", dbus.Dictionary({}, signature="sv"))),
    ("QueryJournal", (dbus.Dictionary({}, signature="sv"),)),
    ("InjectKey", ("A0072P0TE00E0000",)),
]

tap = Tap()
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)


class Client:
    """A python3-dbus peer-to-peer connection with signal capture."""

    def __init__(self, address):
        self.conn = dbus.connection.Connection(address)
        self.term = self.conn.get_object("org.paycard", "/org/paycard/terminal")
        self.signals = []
        for name in ("Prompt", "CardEvent", "TransactionState", "Notice"):
            self.conn.add_signal_receiver(
                lambda *a, _n=name: self.signals.append((_n,) + tuple(str(x) for x in a)),
                signal_name=name, dbus_interface=TERMINAL)

    def call(self, member, *args):
        """(result, None) or (None, error name)."""
        try:
            return self.term.get_dbus_method(member, TERMINAL)(*args), None
        except dbus.exceptions.DBusException as e:
            return None, e.get_dbus_name()

    def reader_prop(self, name, prop):
        obj = self.conn.get_object("org.paycard", "/org/paycard/reader/" + name)
        return obj.Get(READER, prop, dbus_interface="org.freedesktop.DBus.Properties")

    def start(self, member, *args):
        """An asynchronous call; returns a box filled when the reply comes."""
        box = {}
        self.term.get_dbus_method(member, TERMINAL)(
            *args, reply_handler=lambda *r: box.update(reply=r),
            error_handler=lambda e: box.update(error=e.get_dbus_name()))
        return box

    def close(self):
        self.conn.close()


def pump(until, timeout=5.0):
    """Run the GLib loop until until() or timeout; returns until()."""
    ctx = GLib.MainContext.default()
    end = time.monotonic() + timeout
    while not until() and time.monotonic() < end:
        ctx.iteration(False)
        time.sleep(0.002)
    return until()


def busctl(d, *args, uid=None):
    cmd = ["busctl", "--address=" + d.address] + list(args)
    if uid is not None:
        cmd = ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups"] + cmd
    return run(cmd)


def gdbus(d, method, *args, uid=None):
    cmd = ["gdbus", "call", "-a", d.address, "-d", "org.paycard", "-o",
           "/org/paycard/terminal", "-m", TERMINAL + "." + method] + list(args)
    if uid is not None:
        cmd = ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups"] + cmd
    return run(cmd)


def test_foreign_clients(d):
    r = busctl(d, "call", "org.paycard", "/org/paycard/terminal", TERMINAL, "GetCallerRole")
    tap.check("busctl --address connects (Hello served) and calls", r.stdout.strip() == 's "admin"',
              r.stdout + r.stderr)
    r = busctl(d, "get-property", "org.paycard", "/org/paycard/terminal", TERMINAL, "TerminalId")
    tap.check("busctl reads a property", r.stdout.strip() == 's "10000159"', r.stdout + r.stderr)
    r = gdbus(d, "GetCallerRole")
    tap.check("gdbus call connects and calls", r.stdout.strip() == "('admin',)", r.stdout + r.stderr)
    c = Client(d.address)
    tap.check("python3-dbus calls", c.call("GetCallerRole")[0] == "admin")
    c.close()


def test_authorisation(d):
    r = busctl(d, "call", "org.paycard", "/org/paycard/terminal", TERMINAL, "ListReaders", uid=65534)
    tap.check("uid outside every list: busctl gets AccessDenied",
              r.returncode != 0 and "Access denied" in r.stderr, r.stdout + r.stderr)
    r = gdbus(d, "ListReaders", uid=65534)
    tap.check("uid outside every list: gdbus sees org.freedesktop.DBus.Error.AccessDenied",
              "org.freedesktop.DBus.Error.AccessDenied" in r.stderr, r.stdout + r.stderr)
    r = busctl(d, "get-property", "org.paycard", "/org/paycard/terminal", TERMINAL, "MerchantId",
               uid=65534)
    tap.check("uid outside every list cannot read properties",
              r.returncode != 0 and "Access denied" in r.stderr, r.stdout + r.stderr)
    r = gdbus(d, "GetCallerRole", uid=65534)
    tap.check("an outsider is told its role is none", r.stdout.strip() == "('none',)", r.stdout + r.stderr)
    r = gdbus(d, "GetCallerRole", uid=1000)
    tap.check("uid 1000 is a cashier", r.stdout.strip() == "('cashier',)", r.stdout + r.stderr)
    r = gdbus(d, "Settle", uid=1000)
    tap.check("a cashier may not settle (supervisor)",
              "AccessDenied" in r.stderr and "supervisor" in r.stderr, r.stderr)
    r = gdbus(d, "ApproveReader", "SNX", uid=1000)
    tap.check("a cashier may not approve readers", "AccessDenied" in r.stderr, r.stderr)
    r = gdbus(d, "Reload", uid=1001)
    tap.check("a supervisor may not reload (admin)", "AccessDenied" in r.stderr, r.stderr)
    r = gdbus(d, "Sale", "r0", "100", "{}", uid=1000)
    tap.check("a cashier's sale passes authorisation and meets NotSupported",
              "org.paycard.Error.NotSupported" in r.stderr, r.stderr)


def test_engine_not_supported(d, c):
    bad = []
    for member, args in ENGINE_CALLS:
        result, err = c.call(member, *args)
        if err != "org.paycard.Error.NotSupported":
            bad.append("%s -> %r %r" % (member, result, err))
    tap.check("without an acquirer configured all %d engine methods answer NotSupported, never success" % len(ENGINE_CALLS),
              not bad, "\n".join(bad))
    _, err = c.call("Sale", "r0", dbus.UInt64(0), dbus.Dictionary({}, signature="sv"))
    tap.check("amount 0 is InvalidArgs", err == "org.freedesktop.DBus.Error.InvalidArgs", err)
    _, err = c.call("Sale", "nosuch", dbus.UInt64(5), dbus.Dictionary({}, signature="sv"))
    tap.check("unknown reader is NoSuchReader", err == "org.paycard.Error.NoSuchReader", err)


def test_read_card(d, c):
    c.signals.clear()
    box = c.start("ReadCard", "r0", dbus.UInt32(10))
    pump(lambda: any(s[0] == "Prompt" for s in c.signals), 3)
    d.fake("swipe", "r0", T2_BAD_LUHN)
    pump(lambda: box or any(s[0] == "Prompt" and s[2] == "read-failed" for s in c.signals), 3)
    tap.check("a track whose PAN fails Luhn: read-failed prompt, ReadCard keeps waiting",
              not box and any(s[0] == "Prompt" and s[2] == "read-failed" for s in c.signals),
              (box, c.signals))
    d.fake("swipe", "r0", T2_PAN19)
    pump(lambda: box, 5)
    tap.check("ReadCard replies asynchronously with the masked PAN",
              box.get("reply") == ("magstripe", "621234*********4569"), box)
    prompts = [s for s in c.signals if s[0] == "Prompt"]
    tap.check("Prompt carries message id, English and zh_CN text",
              bool(prompts) and prompts[0][1:] == ("r0", "insert-or-swipe",
                                                   "Insert or swipe the card", "请插卡或刷卡"),
              prompts)
    states = [s[2] for s in c.signals if s[0] == "TransactionState"]
    tap.check("TransactionState goes waiting-card -> card-read",
              states == ["waiting-card", "card-read"], states)
    tap.check("CardEvent swiped signalled without card data",
              ("CardEvent", "r0", "swiped") in c.signals, c.signals)
    tap.check("no signal carries the full PAN",
              not any("621234567890123456" in " ".join(s) for s in c.signals))
    d.fake("insert", "r0")
    pump(lambda: bool(c.reader_prop("r0", "CardPresent")), 3)
    box = c.start("ReadCard", "r0", dbus.UInt32(10))
    pump(lambda: box, 3)
    tap.check("a chip card already in the slot is read at once",
              box.get("reply") == ("chip", ""), box)
    d.fake("remove", "r0")
    pump(lambda: not c.reader_prop("r0", "CardPresent"), 3)
    tap.check("CardPresent follows insert/remove", not c.reader_prop("r0", "CardPresent"))


def test_properties_changed(d, c):
    changed = []
    c.conn.add_signal_receiver(
        lambda iface, props, inval, path=None: changed.append((str(path), str(iface),
                                                                 sorted(str(k) for k in props) +
                                                                 sorted(str(k) for k in inval))),
        signal_name="PropertiesChanged", dbus_interface="org.freedesktop.DBus.Properties",
        path_keyword="path")
    d.fake("insert", "r0")
    pump(lambda: any("CardPresent" in x[2] for x in changed), 3)
    d.fake("remove", "r0")
    pump(lambda: len([x for x in changed if "CardPresent" in x[2]]) >= 2, 3)
    tap.check("PropertiesChanged for CardPresent on the reader object",
              any(x[0] == "/org/paycard/reader/r0" and x[1] == READER and "CardPresent" in x[2]
                  for x in changed), changed)


LISTENER = '''
import sys, time, dbus, dbus.mainloop.glib
from gi.repository import GLib
dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
conn = dbus.connection.Connection(sys.argv[1])
got = []
conn.add_signal_receiver(lambda *a: got.append(a), signal_name="CardEvent",
                         dbus_interface="org.paycard.Terminal1")
print("ready", flush=True)
end = time.monotonic() + 2
while time.monotonic() < end:
    GLib.MainContext.default().iteration(False)
    time.sleep(0.01)
print(len(got))
'''


def listen_as(d, uid):
    return subprocess.Popen(["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups",
                             "/usr/bin/python3", "-c", LISTENER, d.address],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_signals_only_to_roles(d, c):
    outsider, cashier = listen_as(d, 65534), listen_as(d, 1000)
    outsider.stdout.readline()
    cashier.stdout.readline()
    time.sleep(0.2)
    d.fake("insert", "r0")
    d.fake("remove", "r0")
    n_out = outsider.communicate(timeout=10)[0].strip()
    n_cash = cashier.communicate(timeout=10)[0].strip()
    tap.check("signals reach a cashier's connection (%s) but not a peer without role (%s)"
              % (n_cash, n_out), n_cash == "2" and n_out == "0", (n_cash, n_out))


def test_busy_and_cancel(d, c):
    other = Client(d.address)
    box = c.start("ReadCard", "r0", dbus.UInt32(30))
    pump(lambda: bool(c.reader_prop("r0", "Busy")), 3)
    _, err = other.call("ReadCard", "r0", dbus.UInt32(5))
    tap.check("a second ReadCard on the same reader gets Busy", err == "org.paycard.Error.Busy", err)
    _, err = other.call("Sale", "r0", dbus.UInt64(100), dbus.Dictionary({}, signature="sv"))
    tap.check("a sale on a busy reader gets Busy", err == "org.paycard.Error.Busy", err)
    _, err = other.call("Cancel", "r0")
    pump(lambda: box, 3)
    tap.check("Cancel from another client ends the call with Cancelled",
              err is None and box.get("error") == "org.paycard.Error.Cancelled", (err, box))
    _, err = other.call("Cancel", "r0")
    tap.check("Cancel when idle is NothingToCancel", err == "org.paycard.Error.NothingToCancel", err)
    box = c.start("ReadCard", "r0", dbus.UInt32(30))
    pump(lambda: bool(c.reader_prop("r0", "Busy")), 3)
    d.fake("key", "r0", "0x1b")
    pump(lambda: box, 3)
    tap.check("the reader's cancel key cancels too", box.get("error") == "org.paycard.Error.Cancelled", box)
    box = c.start("ReadCard", "r0", dbus.UInt32(1))
    pump(lambda: box, 4)
    tap.check("no card in time is Timeout", box.get("error") == "org.paycard.Error.Timeout", box)
    box = c.start("ReadCard", "r0", dbus.UInt32(30))
    pump(lambda: bool(c.reader_prop("r0", "Busy")), 3)
    d.fake("unplug", "r0")
    pump(lambda: box, 3)
    tap.check("unplug during a call is ReaderGone", box.get("error") == "org.paycard.Error.ReaderGone", box)
    tap.check("Present false after unplug", not c.reader_prop("r0", "Present"))
    d.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
    pump(lambda: bool(c.reader_prop("r0", "Present")), 3)
    tap.check("replug of the pinned reader: present and approved again",
              c.reader_prop("r0", "Present") and c.reader_prop("r0", "Approved"))
    # the caller leaves while waiting: the reader is freed
    box = other.start("ReadCard", "r0", dbus.UInt32(30))
    pump(lambda: bool(c.reader_prop("r0", "Busy")), 3)
    other.close()
    pump(lambda: not c.reader_prop("r0", "Busy"), 3)
    tap.check("a caller that disconnects frees the reader", not c.reader_prop("r0", "Busy"))


def notices_with(c, code):
    result, _ = c.call("ListNotices", dbus.UInt32(100))
    return [n for n in (result or []) if str(n[3]) == code]


def test_pinning(d, c):
    c.signals.clear()
    d.fake("plug", "r1", "PCR-100", "SN0002", "1.3.0")
    pump(lambda: any(s[0] == "Notice" and s[4] == "reader.swapped" for s in c.signals), 3)
    tap.check("another serial raises a security notice",
              any(s[0] == "Notice" and s[3] == "security" and s[4] == "reader.swapped"
                  for s in c.signals), c.signals)
    tap.check("the swapped reader is held (Approved false)", not c.reader_prop("r1", "Approved"))
    _, err = c.call("ReadCard", "r1", dbus.UInt32(5))
    tap.check("a held reader cannot be used: NotApproved", err == "org.paycard.Error.NotApproved", err)
    r = gdbus(d, "ApproveReader", "SN0002", uid=1001)
    tap.check("a supervisor approves it", r.returncode == 0, r.stderr)
    pump(lambda: bool(c.reader_prop("r1", "Approved")), 3)
    tap.check("approved reader is usable", c.reader_prop("r1", "Approved"))
    tap.check("approval logged as a notice", bool(notices_with(c, "reader.approved")))
    _, err = c.call("ApproveReader", "NEVER-SEEN")
    tap.check("approving an unknown serial is NoSuchReader", err == "org.paycard.Error.NoSuchReader", err)


def test_firmware_once(d, c):
    for _ in range(3):
        d.fake("plug", "r2", "PCR-100", "SN0003", "1.1.9")
        settle()
        d.fake("unplug", "r2")
        settle()
    d.fake("plug", "r2", "PCR-100", "SN0003", "1.1.9")
    settle()
    old = notices_with(c, "reader.firmware_old")
    tap.check("old firmware: one notice for four plugs", len(old) == 1 and int(old[0][5]) == 1, old)
    d.fake("plug", "r3", "PCR-100", "SN0004", "1.1.0", "2")
    settle()
    tap.check("a reader reporting another ABI is refused with a notice",
              bool(notices_with(c, "reader.abi_mismatch")) and "/org/paycard/reader/r3" not in
              [str(p) for p in c.call("ListReaders")[0]])


def test_notices(d, c):
    verdicts = [c.call("PostNotice", "maintenance", "m%d" % i, "text %d" % i)[0] for i in range(6)]
    names = [str(v[1]) if v else None for v in verdicts]
    tap.check("maintenance notices past the hourly limit are rate-limited",
              "rate-limited" in names and names[0] in ("emitted", "rate-limited"), names)
    first = c.call("PostNotice", "info", "dup", "same text")[0]
    second = c.call("PostNotice", "info", "dup", "same text")[0]
    tap.check("the same notice again is folded as a duplicate",
              str(first[1]) == "emitted" and str(second[1]) == "duplicate" and first[0] == second[0],
              (first, second))
    _, err = c.call("PostNotice", "spam", "x", "y")
    tap.check("an unknown class is InvalidArgs", err == "org.freedesktop.DBus.Error.InvalidArgs", err)
    d.write_config(notices="marketing_muted = yes")
    _, err = c.call("Reload")
    muted = c.call("PostNotice", "marketing", "promo", "half price")[0]
    tap.check("Reload applies marketing_muted; marketing is dropped",
              err is None and str(muted[1]) == "muted", (err, muted))
    prop = c.conn.get_object("org.paycard", "/org/paycard/terminal").Get(
        TERMINAL, "MarketingMuted", dbus_interface="org.freedesktop.DBus.Properties")
    tap.check("MarketingMuted property follows the config", bool(prop))
    with open(d.config, "a") as f:
        f.write("[limits]\nmax_connections = lots\n")
    _, err = c.call("Reload")
    tap.check("a bad config on Reload is refused, daemon keeps running",
              err == "org.paycard.Error.Failed" and d.alive(), err)
    d.write_config(notices="marketing_muted = yes")


def main():
    d = Daemon()
    try:
        d.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
        settle()
        test_foreign_clients(d)
        test_authorisation(d)
        c = Client(d.address)
        test_engine_not_supported(d, c)
        test_read_card(d, c)
        test_properties_changed(d, c)
        test_signals_only_to_roles(d, c)
        test_busy_and_cancel(d, c)
        test_pinning(d, c)
        test_firmware_once(d, c)
        test_notices(d, c)
        c.close()
        tap.check("daemon alive after the API tests", d.alive(), d.log_text())
        tap.check("SIGTERM: clean exit 0", d.stop() == 0, d.log_text())
        tap.check("the socket is removed at exit", not os.path.exists(d.socket))
    finally:
        d.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
