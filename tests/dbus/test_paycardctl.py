#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""paycardctl against a running paycardd (fake readers): human and --json
output, progress on read-card, Ctrl-C = Cancel, errors passed through, and
doctor naming the first failing layer.  TAP output."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, Tap, run, settle  # noqa: E402

PAYCARDCTL = os.environ.get("PAYCARDCTL", "build/paycardctl")
tap = Tap()


def ctl(d, *args, uid=None, timeout=10):
    cmd = [PAYCARDCTL, "--socket", d.socket] + list(args)
    if uid is not None:
        cmd = ["setpriv", "--reuid=%d" % uid, "--regid=%d" % uid, "--clear-groups"] + cmd
    return run(cmd, timeout=timeout)


def as_json(r):
    try:
        return json.loads(r.stdout)
    except ValueError:
        return None


def test_reading(d):
    r = ctl(d, "--json", "status")
    j = as_json(r)
    tap.check("status --json", j and j["TerminalId"] == "10000159" and j["SignedIn"] is False, r.stdout)
    r = ctl(d, "status")
    tap.check("status for humans", "MerchantId         898100012340001" in r.stdout, r.stdout)
    j = as_json(ctl(d, "--json", "readers"))
    tap.check("readers --json lists both with approval state",
              j and [(x["Name"], x["Approved"]) for x in j] == [("r0", True), ("r1", False)], j)
    r = ctl(d, "readers")
    tap.check("readers for humans flags the pending one", "PENDING APPROVAL" in r.stdout, r.stdout)
    j = as_json(ctl(d, "--json", "notices", "5"))
    tap.check("notices --json", j and any(n["code"] == "reader.swapped" for n in j), j)
    tap.check("role", ctl(d, "role").stdout.strip() == "admin")
    tap.check("role as a cashier", ctl(d, "role", uid=1000).stdout.strip() == "cashier")


def test_transactions(d):
    r = ctl(d, "sale", "r0", "12.34")
    tap.check("sale: the daemon's NotSupported reaches the user, exit 1",
              r.returncode == 1 and "org.paycard.Error.NotSupported" in r.stderr, r.stderr)
    j = as_json(ctl(d, "--json", "settle"))
    tap.check("settle --json: error object", j and j["error"] == "org.paycard.Error.NotSupported", j)
    r = ctl(d, "sale", "r0", "12.345")
    tap.check("an amount with three decimals is refused locally (exit 2)", r.returncode == 2, r.stderr)
    r = ctl(d, "void", "r0", "000001", uid=1000)
    tap.check("void as a cashier: AccessDenied passed through", "AccessDenied" in r.stderr, r.stderr)
    p = subprocess.Popen([PAYCARDCTL, "--socket", d.socket, "read-card", "r0", "10"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.4)
    # PAN with its Luhn check digit 9 (tests/dbus/test_api.py), 25/12, service code 201
    d.fake("swipe", "r0", "6212345678901234569=2512201")
    out, err = p.communicate(timeout=10)
    tap.check("read-card prints the masked PAN", out.strip() == "card read: magstripe 621234*********4569",
              out + err)
    tap.check("read-card shows progress in both languages",
              "Insert or swipe the card / 请插卡或刷卡" in err and "state: card-read" in err, err)
    p = subprocess.Popen([PAYCARDCTL, "--socket", d.socket, "read-card", "r0", "30"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.4)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=10)
    tap.check("Ctrl-C during read-card cancels it", p.returncode == 1 and "Cancelled" in err, err)
    r = ctl(d, "approve", "SN0002", uid=1001)
    tap.check("approve as a supervisor", r.returncode == 0 and r.stdout.strip() == "approved", r.stderr)
    j = as_json(ctl(d, "--json", "post-notice", "info", "test.code", "hello"))
    tap.check("post-notice --json", j and j["verdict"] == "emitted" and j["id"] > 0, j)
    tap.check("explain 51", ctl(d, "explain", "51").stdout.strip() == "51: insufficient funds")
    tap.check("explain an unknown code exits 1", ctl(d, "explain", "Q7").returncode == 1)
    # the codes a UnionPay host sends that explain did not know
    # (Q/CUP 006.6-2014 A.2; 77 from the domestic POS tables)
    known = [ctl(d, "explain", code) for code in ("22", "40", "64", "77", "97", "99", "A0")]
    tap.check("explain knows 22, 40, 64, 77, 97, 99 and A0; 77/99/A0 say sign in again",
              all(r.returncode == 0 for r in known) and
              all("signs in again" in r.stdout for r in known[3:4] + known[5:]),
              [r.stdout for r in known])


def self_signed_server():
    """openssl s_server with a throw-away self-signed certificate."""
    tmp = tempfile.mkdtemp(prefix="paycardctl-tls-")
    key, cert = os.path.join(tmp, "k.pem"), os.path.join(tmp, "c.pem")
    run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
         "-days", "1", "-subj", "/CN=localhost"], timeout=30)
    port = 20000 + os.getpid() % 10000
    p = subprocess.Popen(["openssl", "s_server", "-quiet", "-accept", str(port), "-key", key,
                          "-cert", cert], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    return p, port, tmp


def host_check(r):
    j = as_json(r)
    host = [c for c in (j or {"checks": []})["checks"] if c["layer"] == "host"]
    return host[0] if host else None


def test_doctor_plain_tcp():
    """An acquirer on plain TCP ([host] tls = no): doctor connects without
    TLS (a TLS attempt would fail: this listener never answers a hello)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    d3 = Daemon(extra="[host]\nprimary = 127.0.0.1:%d\ntls = no\n" % listener.getsockname()[1])
    try:
        host = host_check(ctl(d3, "--json", "doctor", timeout=20))
        tap.check("doctor follows [host] tls = no: plain TCP connect is the host layer ok",
                  host and host["status"] == "ok" and "plain TCP" in host["detail"], host)
    finally:
        d3.stop()
        listener.close()


def test_doctor(d):
    d2 = Daemon()
    d2.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
    settle()
    d2.fake("unplug", "r0")
    settle()
    d2.fake("plug", "r9", "PCR-100", "SN9999", "1.3.0")
    settle()
    j = as_json(ctl(d2, "--json", "doctor"))
    tap.check("doctor: a swapped reader is named as the failing layer",
              j and j["first_failing_layer"] == "reader" and "SN9999" in
              [c for c in j["checks"] if c["layer"] == "reader"][0]["detail"], j)
    d2.stop()
    r = run([PAYCARDCTL, "--socket", "/nonexistent/paycardd.sock", "doctor"])
    tap.check("doctor without a daemon names the daemon layer first",
              r.returncode == 1 and r.stdout.startswith("FAILING LAYER: daemon:"), r.stdout)
    r = ctl(d, "doctor", uid=65534)
    tap.check("doctor for a uid without role names the permission layer",
              r.stdout.startswith("FAILING LAYER: permission:"), r.stdout)
    r = ctl(d, "doctor", "--host", "127.0.0.1:1")
    tap.check("doctor: refused TCP is the host layer (network)",
              "FAILING LAYER: host: TCP connect to 127.0.0.1:1" in r.stdout, r.stdout)
    server, port, tls_dir = self_signed_server()
    try:
        r = ctl(d, "--json", "doctor", "--host", "localhost:%d" % port, timeout=20)
        j = as_json(r)
        host = [c for c in (j or {"checks": []})["checks"] if c["layer"] == "host"]
        tap.check("doctor: TCP fine, TLS refused (self-signed) is told apart",
                  host and host[0]["status"] == "FAIL" and "TLS handshake" in host[0]["detail"]
                  and "TCP works" in host[0]["detail"], r.stdout)
        # a private CA ([host] ca_file; the self-signed certificate is its own
        # CA) and server_name: doctor verifies with them, as paycardd does
        d3 = Daemon(extra="[host]\nprimary = 127.0.0.1:%d\ntls = yes\nca_file = %s\nserver_name = localhost\n"
                    % (port, os.path.join(tls_dir, "c.pem")))
        try:
            host = host_check(ctl(d3, "--json", "doctor", timeout=20))
            tap.check("doctor follows [host] ca_file and server_name: TLS handshake ok",
                      host and host["status"] == "ok" and "TLS handshake" in host["detail"] and
                      "c.pem" in host["detail"], host)
        finally:
            d3.stop()
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tls_dir, ignore_errors=True)
    test_doctor_plain_tcp()
    j = as_json(ctl(d, "--json", "doctor"))
    tap.check("doctor on a healthy fake setup: only sign-in fails (no engine yet)",
              j and j["first_failing_layer"] == "sign-in", j)


def main():
    d = Daemon()
    try:
        d.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
        settle()
        d.fake("plug", "r1", "PCR-100", "SN0002", "1.3.0")
        settle()
        test_reading(d)
        test_transactions(d)
        test_doctor(d)
    finally:
        d.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
