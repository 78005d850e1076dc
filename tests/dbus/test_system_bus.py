#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""paycardd on a system bus: a private dbus-daemon with system-bus-like
default-deny rules plus the shipped policy file; the same objects as on the
socket, authorisation from the bus driver's credentials, signals.  TAP."""

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
from harness import Daemon, Tap, run, settle  # noqa: E402

POLICY = os.environ.get("PAYCARD_DBUS_POLICY", "daemon/systemd/dbus-1/system.d/org.paycard.conf")
TERMINAL = "org.paycard.Terminal1"

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={sock}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <include>{policy}</include>
  <!-- the test runs paycardd as root instead of the paycard user -->
  <policy user="root"><allow own="org.paycard"/></policy>
</busconfig>
"""

tap = Tap()


def main():
    tmp = tempfile.mkdtemp(prefix="paycardd-sysbus-")
    os.chmod(tmp, 0o755)
    sock = os.path.join(tmp, "system_bus_socket")
    conf = os.path.join(tmp, "bus.conf")
    with open(conf, "w") as f:
        f.write(BUS_CONFIG.format(sock=sock, policy=os.path.abspath(POLICY)))
    bus = subprocess.Popen(["dbus-daemon", "--config-file=" + conf, "--nofork", "--nopidfile"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        if os.path.exists(sock):
            break
        time.sleep(0.01)
    address = "unix:path=" + sock
    d = Daemon(system_bus="yes", env={"DBUS_SYSTEM_BUS_ADDRESS": address})
    try:
        settle(0.3)
        d.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
        settle()
        base = ["busctl", "--address=" + address]
        r = run(base + ["call", "org.paycard", "/org/paycard/terminal", TERMINAL, "GetCallerRole"])
        tap.check("org.paycard owned on the bus, root is admin", r.stdout.strip() == 's "admin"',
                  r.stdout + r.stderr + d.log_text())
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        r = run(nobody + ["gdbus", "call", "-a", address, "-d", "org.paycard", "-o",
                          "/org/paycard/terminal", "-m", TERMINAL + ".ListReaders"])
        tap.check("the policy lets uid 65534 call; paycardd itself answers AccessDenied",
                  "org.freedesktop.DBus.Error.AccessDenied" in r.stderr and
                  "needs the cashier role" in r.stderr, r.stderr)
        cashier = ["setpriv", "--reuid=1000", "--regid=1000", "--clear-groups"]
        r = run(cashier + base + ["call", "org.paycard", "/org/paycard/terminal", TERMINAL,
                                  "GetCallerRole"])
        tap.check("uid 1000 is a cashier through the driver's credentials",
                  r.stdout.strip() == 's "cashier"', r.stdout + r.stderr)
        r = run(nobody + ["gdbus", "call", "-a", address, "-d", "org.paycard", "-o",
                          "/org/paycard/terminal", "-m", TERMINAL + ".GetCallerRole"])
        tap.check("gdbus on the bus", r.stdout.strip() == "('none',)", r.stdout + r.stderr)
        r = run(base + ["call", "org.paycard", "/org/paycard/terminal", "org.freedesktop.DBus.Peer",
                        "Ping"])
        tap.check("the policy file opens org.freedesktop.DBus.Peer (Ping)",
                  r.returncode == 0, r.stderr)

        dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
        conn = dbus.bus.BusConnection(address)
        seen = []
        conn.add_signal_receiver(lambda *a: seen.append([str(x) for x in a]), signal_name="Notice",
                                 dbus_interface=TERMINAL, bus_name="org.paycard")
        term = conn.get_object("org.paycard", "/org/paycard/terminal")
        term.PostNotice("info", "sysbus.test", "hello", dbus_interface=TERMINAL)
        ctx = GLib.MainContext.default()
        end = time.monotonic() + 3
        while not seen and time.monotonic() < end:
            ctx.iteration(False)
            time.sleep(0.01)
        tap.check("signals reach system bus clients", seen and seen[0][3] == "sysbus.test", seen)
        reader = conn.get_object("org.paycard", "/org/paycard/reader/r0")
        serial = reader.Get("org.paycard.Reader1", "Serial",
                            dbus_interface="org.freedesktop.DBus.Properties")
        tap.check("reader objects on the bus too", str(serial) == "SN0001")
        conn.close()
        tap.check("SIGTERM exits 0 with the bus attached", d.stop() == 0, d.log_text())
    finally:
        d.stop()
        bus.kill()
        bus.wait()
        shutil.rmtree(tmp, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
