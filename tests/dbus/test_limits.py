#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Limits that keep one client from hurting the others, and the sd-bus
pitfalls of DESIGN.md, exercised with raw bytes and foreign clients:
garbage, half-open connections, BEGIN glued to the first message, a client
that never reads, an oversized message, 200 idle connections, the connection
cap, the idle timeout; the daemon keeps serving and stays in its memory
bound.  Also: readiness notification, config errors, SIGHUP, and that the
production build/paycardd holds no fake reader backend.  TAP output."""

import os
import re
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (Daemon, PAYCARDD, Tap, closed_by_peer, method_call,  # noqa: E402
                     raw_connect, run)

tap = Tap()
TERMINAL = "org.paycard.Terminal1"
# the daemon the VM, the systemd unit and install use; PAYCARDD is the
# tests' build of it with the fake reader backend
PRODUCTION = os.environ.get("PAYCARDD_PRODUCTION", "build/paycardd")
# the fake backend's functions and its virtual cards (tests/emu/card:
# vcard_*, vcard_profile_*)
TEST_SYMBOL = re.compile(r"fake|vcard|virtual_card|card_profile", re.I)
MEMORY_BOUND_KIB = 16 * 1024


def served(d, timeout=3):
    """Another client gets an answer promptly."""
    t0 = time.monotonic()
    r = run(["busctl", "--address=" + d.address, "call", "org.paycard", "/org/paycard/terminal",
             TERMINAL, "GetCallerRole"], timeout=timeout)
    return r.stdout.strip() == 's "admin"' and time.monotonic() - t0 < timeout


def read_reply(s, timeout):
    """The first message after auth: (type, bytes read) or (None, n)."""
    s.settimeout(timeout)
    buf = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            chunk = s.recv(4096)
        except socket.timeout:
            break
        if not chunk:
            break
        buf += chunk
        if len(buf) >= 16:
            return buf[1], len(buf)
    return None, len(buf)


def test_pitfalls(d):
    hello = method_call(1, "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello",
                        dest="org.freedesktop.DBus")
    t0 = time.monotonic()
    s = raw_connect(d.socket, first_message=hello)
    kind, _ = read_reply(s, 3)
    tap.check("BEGIN and the first message in one write: answered at once (no stall)",
              kind == 2 and time.monotonic() - t0 < 1.0, (kind, time.monotonic() - t0))
    s.close()

    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(d.socket)
    s.sendall(os.urandom(4096))
    tap.check("garbage bytes: the connection is closed", closed_by_peer(s, 3))
    s.close()
    tap.check("... and others are still served", served(d))

    s = raw_connect(d.socket, authenticate=False)
    s.sendall(b"\0AUTH EXTERNAL 30\r\n")  # never BEGIN
    t0 = time.monotonic()
    tap.check("half-open connection dropped after auth_timeout_s (1 s)",
              closed_by_peer(s, 4) and time.monotonic() - t0 >= 0.8, time.monotonic() - t0)
    s.close()

    s = raw_connect(d.socket, first_message=hello)
    read_reply(s, 2)
    t0 = time.monotonic()
    tap.check("idle authenticated connection dropped after idle_timeout_s (2 s)",
              closed_by_peer(s, 5) and time.monotonic() - t0 >= 1.5, time.monotonic() - t0)
    s.close()


def test_long_call_not_idle(d):
    import dbus
    d.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
    time.sleep(0.2)
    conn = dbus.connection.Connection(d.address)
    term = conn.get_object("org.paycard", "/org/paycard/terminal")
    t0 = time.monotonic()
    try:
        term.ReadCard("r0", dbus.UInt32(4), dbus_interface=TERMINAL, timeout=10)
        name = "success"
    except dbus.exceptions.DBusException as e:
        name = e.get_dbus_name()
    took = time.monotonic() - t0
    tap.check("a 4 s ReadCard outlives idle_timeout_s (2 s): ends in Timeout, not a drop",
              name == "org.paycard.Error.Timeout" and took >= 3.5, (name, took))
    conn.close()


def test_message_size(d):
    s = raw_connect(d.socket)
    big = method_call(2, "/org/paycard/terminal", TERMINAL, "ApproveReader",
                      string_arg="x" * 100000)
    s.sendall(big)
    tap.check("a 100 kB message (cap 64 KiB) drops its sender", closed_by_peer(s, 3))
    s.close()
    s = raw_connect(d.socket)
    small = method_call(2, "/org/paycard/terminal", TERMINAL, "ApproveReader",
                        string_arg="x" * 1000)
    s.sendall(small)
    kind, _ = read_reply(s, 3)
    tap.check("a 1 kB message is answered (an error reply: unknown serial)", kind == 3, kind)
    s.close()


def test_never_reads(d):
    s = raw_connect(d.socket)
    # Introspect replies are ~10 kB: the daemon's socket buffer fills quickly
    call = b"".join(method_call(10 + i, "/org/paycard/terminal",
                                "org.freedesktop.DBus.Introspectable", "Introspect")
                    for i in range(3000))
    s.setblocking(False)
    sent = 0
    end = time.monotonic() + 10
    while sent < len(call) and time.monotonic() < end:
        try:
            sent += s.send(call[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.01)
        except (BrokenPipeError, ConnectionResetError):
            break
    tap.check("while a client floods without reading, another is served", served(d))
    time.sleep(0.3)
    tap.check("the client that never reads is dropped (queue cap)",
              "not reading" in d.log_text() or "replies unread" in d.log_text(),
              d.log_text()[-2000:])
    s.close()
    rss = d.rss_kib()
    tap.check("memory stays under %d KiB (RSS %d KiB)" % (MEMORY_BOUND_KIB, rss),
              0 < rss < MEMORY_BOUND_KIB, rss)


def test_many_idle(d):
    rss0 = d.rss_kib()
    hello = method_call(1, "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello",
                        dest="org.freedesktop.DBus")
    conns = []
    for _ in range(200):
        s = raw_connect(d.socket, first_message=hello)
        conns.append(s)
    t0 = time.monotonic()
    ok = served(d)
    took = time.monotonic() - t0
    tap.check("200 idle connections: another client is served (%.0f ms)" % (took * 1000), ok, took)
    rss = d.rss_kib()
    print("# RSS idle %d KiB, with 200 connections %d KiB (%.1f KiB each)"
          % (rss0, rss, (rss - rss0) / 200.0))
    tap.check("200 connections stay in the memory bound (%d KiB)" % rss,
              0 < rss < MEMORY_BOUND_KIB, rss)
    extra = [raw_connect(d.socket, authenticate=False) for _ in range(15)]
    refused = sum(1 for s in extra if closed_by_peer(s, 0.5))
    tap.check("connections past max_connections (210) are refused (%d of 15)" % refused,
              refused >= 5, refused)
    for s in conns + extra:
        s.close()
    time.sleep(0.3)
    tap.check("after they close, new clients are served", served(d))


def test_lifecycle():
    notify = "/tmp/paycardd-notify-%d.sock" % os.getpid()
    ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    ns.bind(notify)
    ns.settimeout(5)
    t0 = time.monotonic()
    d = Daemon(env={"NOTIFY_SOCKET": notify})
    try:
        msg = ns.recv(4096).decode()
        took = (time.monotonic() - t0) * 1000
        tap.check("sd_notify READY=1 sent (%.1f ms after exec)" % took, "READY=1" in msg, msg)
        d.proc.send_signal(signal.SIGHUP)
        msg = ns.recv(4096).decode()
        msg2 = ns.recv(4096).decode()
        tap.check("SIGHUP: RELOADING=1 then READY=1", "RELOADING=1" in msg and "READY=1" in msg2,
                  (msg, msg2))
        with open(d.config, "a") as f:
            f.write("[terminal]\nterminal_id = 123\n")
        d.proc.send_signal(signal.SIGHUP)
        time.sleep(0.3)
        tap.check("SIGHUP with a bad file: refused with file:line, still running",
                  d.alive() and "paycardd.conf:" in d.log_text() and "terminal_id '123'" in d.log_text(),
                  d.log_text())
        tap.check("SIGTERM exits 0", d.stop() == 0)
    finally:
        d.stop()
        ns.close()
        os.unlink(notify)

    bad = "/tmp/paycardd-bad-%d.conf" % os.getpid()
    with open(bad, "w") as f:
        f.write("[limits]\nmax_connections = 10\nidle_timeout_s = soon\n")
    r = run([PAYCARDD, "--config", bad, "--check-config"])
    os.unlink(bad)
    tap.check("bad config at start: exit 2 with file:line",
              r.returncode == 2 and (bad + ":3: idle_timeout_s") in r.stderr, r.stderr)
    r = run([PAYCARDD, "--config", "/nonexistent/paycardd.conf"])
    tap.check("an explicit --config that is missing is an error", r.returncode == 2, r.stderr)
    d = Daemon()
    try:
        r = run([PAYCARDD, "--config", d.config, "--socket", d.socket,
                 "--state-dir", os.path.join(d.dir, "state"),
                 "--runtime-dir", os.path.join(d.dir, "run")])
        tap.check("a second paycardd on the same socket refuses to start, the first keeps it",
                  r.returncode == 1 and "Address already in use" in r.stderr and
                  run(["busctl", "--address=" + d.address, "call", "org.paycard",
                       "/org/paycard/terminal", TERMINAL, "GetCallerRole"]).returncode == 0 and
                  os.path.exists(os.path.join(d.dir, "fake.sock")), r.stderr)
    finally:
        d.stop()


def defined_symbols(binary):
    r = run(["nm", "--defined-only", binary])
    return [line.split()[-1] for line in r.stdout.splitlines() if line.strip()]


def test_production_build():
    """build/paycardd links no fake backend and refuses its configuration;
    the test build, same sources plus the fake, has and accepts both (so the
    checks below can see what they look for)."""
    prod = defined_symbols(PRODUCTION)
    test = defined_symbols(PAYCARDD)
    leaked = [name for name in prod if TEST_SYMBOL.search(name)]
    tap.check("build/paycardd has symbols (not stripped) and none of the fake backend or vcards",
              "reader_manager_start" in prod and not leaked, " ".join(leaked[:20]))
    tap.check("the test build has them: fake_reader_source, vcard_init",
              "fake_reader_source" in test and "vcard_init" in test)
    prod_strings = run(["strings", PRODUCTION]).stdout
    tap.check("build/paycardd has none of the fake backend's text (control socket, log)",
              "fake-readers.sock" not in prod_strings and "fake reader backend" not in prod_strings and
              "fake-readers.sock" in run(["strings", PAYCARDD]).stdout)

    conf = "/tmp/paycardd-fakecfg-%d.conf" % os.getpid()
    try:
        with open(conf, "w") as f:
            f.write("[readers]\nbackend = fake\n")
        r = run([PRODUCTION, "--config", conf, "--check-config"])
        tap.check("build/paycardd refuses backend = fake: exit 2, file:line, names kernel",
                  r.returncode == 2 and (conf + ":2: backend 'fake': this paycardd has no such backend")
                  in r.stderr and "use kernel" in r.stderr, r.stderr)
        tap.check("the test build accepts backend = fake",
                  run([PAYCARDD, "--config", conf, "--check-config"]).returncode == 0)
        with open(conf, "w") as f:
            f.write("[readers]\nbackend = kernel\nfake_control = /tmp/f.sock\n")
        r = run([PRODUCTION, "--config", conf, "--check-config"])
        tap.check("build/paycardd refuses the fake's control socket key: exit 2, file:line",
                  r.returncode == 2 and (conf + ":3: unknown key 'fake_control' in [readers]")
                  in r.stderr, r.stderr)
    finally:
        os.unlink(conf)


def main():
    test_production_build()
    d = Daemon(limits="auth_timeout_s = 1\nidle_timeout_s = 2\n")
    try:
        test_pitfalls(d)
        test_long_call_not_idle(d)
        test_message_size(d)
        test_never_reads(d)
        tap.check("daemon alive after the abuse", d.alive(), d.log_text()[-3000:])
    finally:
        d.stop()
    d = Daemon(limits="max_connections = 210\n")
    try:
        test_many_idle(d)
    finally:
        d.stop()
    test_lifecycle()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
