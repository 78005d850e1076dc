#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""paycardd numbers: start to READY=1, idle RSS, method-call round trip
over the socket vs a raw Unix socket echo.  Prints, never fails on speed."""

import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon  # noqa: E402

BENCH_RTT = os.environ.get("BENCH_RTT", "build/tests/bench_rtt")
CALLS = 20000


def start_to_ready(runs=7):
    """exec -> READY=1, the daemon started directly (no harness polling);
    the first run creates the database, the others reopen it."""
    d = Daemon()  # a config and directories to reuse
    d.proc.terminate()
    d.proc.wait()
    times = []
    rss = -1
    for i in range(runs):
        path = "/tmp/paycardd-bench-notify-%d-%d" % (os.getpid(), i)
        ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        ns.bind(path)
        ns.settimeout(5)
        t0 = time.monotonic()
        p = subprocess.Popen([d.proc.args[0], "--config", d.config, "--socket", d.socket,
                              "--state-dir", os.path.join(d.dir, "state"),
                              "--runtime-dir", os.path.join(d.dir, "run"), "--log-level", "warning"],
                             env=dict(os.environ, NOTIFY_SOCKET=path))
        ns.recv(256)
        times.append((time.monotonic() - t0) * 1000)
        time.sleep(0.2)
        with open("/proc/%d/status" % p.pid) as f:
            rss = [int(x.split()[1]) for x in f if x.startswith("VmRSS:")][0]
        p.terminate()
        p.wait()
        ns.close()
        os.unlink(path)
    d.stop()  # removes the directory
    return times[0], sorted(times[1:]), rss


def main():
    first, times, rss = start_to_ready()
    print("start_to_ready_ms median %.1f min %.1f, first start (creates the database) %.1f"
          " (target <= 50; measured from python's fork+exec)" % (times[len(times) // 2], times[0], first))
    print("rss_idle_kib %d (target <= 8192)" % rss)
    d = Daemon(log_level="warning")
    try:
        subprocess.run([BENCH_RTT, "dbus", d.address, "200"], check=True, capture_output=True)
        dbus = subprocess.run([BENCH_RTT, "dbus", d.address, str(CALLS)], check=True,
                              capture_output=True, text=True).stdout
        ping = subprocess.run([BENCH_RTT, "ping", d.address, str(CALLS)], check=True,
                              capture_output=True, text=True).stdout
        echo = subprocess.run([BENCH_RTT, "echo", str(CALLS)], check=True,
                              capture_output=True, text=True).stdout
        print("rss_after_%d_calls_kib %d" % (CALLS, d.rss_kib()))
    finally:
        d.stop()
    dbus_us = float(dbus.split()[1])
    echo_us = float(echo.split()[1])
    print("method_call_rtt_us %.2f (GetCallerRole via sd-bus, %d calls)" % (dbus_us, CALLS))
    print("peer_ping_rtt_us %.2f (Peer.Ping, answered inside sd-bus)" % float(ping.split()[1]))
    print("unix_echo_rtt_us %.2f (200-byte echo, forked server)" % echo_us)
    print("ratio %.2f (target <= 1.5)" % (dbus_us / echo_us))
    return 0


if __name__ == "__main__":
    sys.exit(main())
