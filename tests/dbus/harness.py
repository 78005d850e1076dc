# SPDX-License-Identifier: MIT
"""Shared pieces of the paycardd API tests: start a daemon on a private
socket with the fake reader backend (the test build
build/tests/paycardd-fake; build/paycardd has no fake), drive fake readers, speak raw D-Bus
bytes for the abuse tests, and print TAP."""

import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

PAYCARDD = os.environ.get("PAYCARDD", "build/tests/paycardd-fake")
LOCALEDIR = os.path.abspath(os.environ.get("PAYCARD_LOCALEDIR", "build/locale"))

BASE_CONFIG = """
[daemon]
log_level = {log_level}
system_bus = {system_bus}
localedir = {localedir}
[limits]
{limits}
[roles]
cashier_uids = 1000
supervisor_uids = 1001
admin_uids = 0
[terminal]
terminal_id = 10000159
merchant_id = 898100012340001
[readers]
backend = fake
fake_control = {dir}/fake.sock
[firmware]
PCR-100 = 1.2.0
[notices]
maintenance_per_hour = 4
{notices}
{extra}
"""


class Daemon:
    """One paycardd in its own temporary directory."""

    def __init__(self, limits="", notices="", log_level="info", env=None, system_bus="no",
                 extra="", state_dir=None):
        """@extra: more config sections (the engine's [host], [keys]...);
        @state_dir: keep the state (journal) across daemons."""
        self.extra = extra
        self.dir = tempfile.mkdtemp(prefix="paycardd-api-")
        os.chmod(self.dir, 0o755)  # other uids must reach the socket
        self.config = os.path.join(self.dir, "paycardd.conf")
        self.system_bus = system_bus
        self.write_config(limits, notices, log_level)
        self.socket = os.path.join(self.dir, "run", "paycardd.sock")
        self.address = "unix:path=" + self.socket
        # append mode: the daemon writes at the end whatever offset we read at
        self.log = open(os.path.join(self.dir, "paycardd.log"), "a+")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [PAYCARDD, "--config", self.config, "--socket", self.socket,
             "--state-dir", state_dir or os.path.join(self.dir, "state"),
             "--runtime-dir", os.path.join(self.dir, "run")],
            stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(os.environ, **(env or {})))
        self.wait_for_socket()

    def write_config(self, limits="", notices="", log_level="info"):
        with open(self.config, "w") as f:
            f.write(BASE_CONFIG.format(dir=self.dir, limits=limits, notices=notices,
                                       log_level=log_level, localedir=LOCALEDIR,
                                       extra=self.extra,
                                       system_bus=self.system_bus))

    def wait_for_socket(self, timeout=5.0):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if os.path.exists(self.socket) and os.path.exists(os.path.join(self.dir, "fake.sock")):
                return
            if self.proc.poll() is not None:
                raise RuntimeError("paycardd exited: " + self.log_text())
            time.sleep(0.005)
        raise RuntimeError("paycardd socket did not appear")

    def fake(self, *words):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.sendto(" ".join(words).encode(), os.path.join(self.dir, "fake.sock"))
        s.close()

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return -1

    def alive(self):
        return self.proc.poll() is None

    def log_text(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def stop(self):
        """SIGTERM, wait, remove the directory (the log stays readable
        through the open file); the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode


def settle(seconds=0.15):
    time.sleep(seconds)


# ---- raw D-Bus on a stream socket (abuse tests need byte control) ----

def _pad(buf, n):
    return buf + b"\0" * ((-len(buf)) % n)


def _field(buf, code, sig, value):
    buf = _pad(buf, 8) + bytes([code, 1]) + sig.encode() + b"\0"
    if sig in "so":
        buf = _pad(buf, 4) + struct.pack("<I", len(value)) + value.encode() + b"\0"
    else:  # 'g'
        buf += bytes([len(value)]) + value.encode() + b"\0"
    return buf


def method_call(serial, path, iface, member, dest="org.paycard", string_arg=None):
    """A little-endian METHOD_CALL, optionally with one string argument."""
    body = b""
    fields = b""
    fields = _field(fields, 1, "o", path)
    fields = _field(fields, 2, "s", iface)
    fields = _field(fields, 3, "s", member)
    fields = _field(fields, 6, "s", dest)
    if string_arg is not None:
        fields = _field(fields, 8, "g", "s")
        raw = string_arg.encode()
        body = struct.pack("<I", len(raw)) + raw + b"\0"
    head = struct.pack("<cBBBIII", b"l", 1, 0, 1, len(body), serial, len(fields)) + fields
    return _pad(head, 8) + body


def raw_connect(path, authenticate=True, begin=True, first_message=b""):
    """Connect; optionally run EXTERNAL auth and BEGIN (with @first_message
    glued to BEGIN in the same write, as some clients do)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    if authenticate:
        uid = str(os.geteuid()).encode().hex().encode()
        s.sendall(b"\0AUTH EXTERNAL " + uid + b"\r\n")
        line = b""
        s.settimeout(5)
        while not line.endswith(b"\r\n"):
            chunk = s.recv(256)
            if not chunk:
                raise ConnectionError("closed during auth")
            line += chunk
        if not line.startswith(b"OK "):
            raise ConnectionError("auth refused: %r" % line)
        if begin:
            s.sendall(b"BEGIN\r\n" + first_message)
    return s


def closed_by_peer(s, timeout):
    """True when the peer closes @s within @timeout (reading what it sends)."""
    s.settimeout(0.2)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if not s.recv(65536):
                return True
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return True
    return False


# ---- TAP ----

class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def check(self, name, cond, detail=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            if detail:
                for line in str(detail).splitlines()[-15:]:
                    print("#   " + line)
        sys.stdout.flush()
        return cond

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0


def run(cmd, timeout=10, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
