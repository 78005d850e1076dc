# SPDX-License-Identifier: MIT
"""The transaction test world: paycard-hostsim on loopback, a key store
with the terminal master key, paycardd (fake reader backend) pointed at
the simulator, a python3-dbus client that runs transactions while a fake
reader swipes and types."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import dbus
import dbus.mainloop.glib
from gi.repository import GLib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dbus"))
from harness import Daemon  # noqa: E402

HOSTSIM = os.environ.get("PAYCARD_HOSTSIM", "build/paycard-hostsim")
KEYSTORE_INIT = os.environ.get("TXN_KEYSTORE_INIT", "build/tests/txn-keystore-init")
TERMINAL = "org.paycard.Terminal1"
TID = "10000159"
MID = "898100012340001"
# DESIGN.md's UnionPay master key vector: the host and the terminal share it
TMK = "70F2A84CCBC2AE8625CBB0F2C22AB923"
# the key block protection key provisioned with the store (InjectKey):
# a double-length TDES key with odd parity in every byte
KBPK = "89ABCDEF0123456776543210FEDCBA98"
KEY_PCP = {str(d): 0x30 + d for d in range(10)}
KEY_ENTER, KEY_CLEAR, KEY_CANCEL = 0x0D, 0x08, 0x1B


def luhn_complete(body):
    """@body + its Luhn check digit (ISO/IEC 7812-1), computed here."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


# cards: debit with PIN, a poor debit, a credit card (BIN 622588), a chip card
DEBIT = luhn_complete("622202123456789012")
POOR = luhn_complete("622202999988887777")
CREDIT = luhn_complete("622588000000001")
CHIP = luhn_complete("622202555566667777")
# chip cards (virtual EMV cards, tests/emu/card): the UnionPay debit
# profile as shipped, a poor one and a counterfeit (its issuer master key
# is not the one its issuer, the host, holds: its ARQC cannot verify)
CARD_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "emu", "card")
CHIP_PROFILE = os.path.join(CARD_DIR, "profiles", "unionpay-debit.card")
# a CDA card signed by the test world's CA key, whose public half the
# terminal loads from [keys] ca_keys (tests/emu/card/keys)
CDA_PROFILE = os.path.join(CARD_DIR, "profiles", "unionpay-cda.card")
CA_KEYS = os.path.abspath(os.path.join(CARD_DIR, "keys", "test-ca.capk"))
CHIP_EMV = "6212345678901232"
CHIP_EMV_POOR = luhn_complete("621234999988887")
CHIP_EMV_FAKE = luhn_complete("621234555544443")
CHIP_EMV_NOCVM = luhn_complete("621234777766665")   # no PIN at the issuer either
ISSUER_KEY = "0123456789ABCDEFFEDCBA9876543210"     # the profile's imk
FAKE_KEY = "00112233445566778899AABBCCDDEEFF"
PIN = "907153"          # distinctive: the leak check greps for it
POOR_PIN = "4321"
# DUKPT (ANSI X9.24-1:2009 A.4, DESIGN.md): the BDK the host holds, the
# terminal's initial KSN, the card and PIN of the published PIN blocks
DUKPT_BDK = "0123456789ABCDEFFEDCBA9876543210"
DUKPT_IKSN = "FFFF9876543210E00000"
DUKPT_IPEK = "6AC292FAA1315B4D858AB3A3D7D5933A"
VECTOR_PAN = "4012345678909"
VECTOR_PIN = "1234"


def track2(pan, service="101"):
    return "%s=3012%s0000123456" % (pan, service)


# The written UnionPay message table: the host simulator refuses (30) and
# logs every request that breaks it.
MESSAGE_TABLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "conformance",
                             "unionpay-table.txt")


def host_config(ledger, bdk=None):
    return """
[host]
acquirer_id = 48021000
ledger = {ledger}
message_table = {table}
[terminal {tid}]
merchant = {mid}
name = Txn Test Shop
master_key = {tmk}
{bdk}
[card {vector}]
pin = {vector_pin}
balance = 1000000
type = debit
[card {debit}]
pin = {pin}
balance = 1000000
type = debit
[card {poor}]
pin = {poor_pin}
balance = 1000
type = debit
[card {credit}]
balance = 500000
type = credit
[card {chip}]
pin = {pin}
balance = 1000000
type = debit
issuer_key = {issuer_key}
[card {chip_poor}]
pin = {poor_pin}
balance = 1000
type = debit
issuer_key = {issuer_key}
[card {chip_nocvm}]
balance = 1000000
type = debit
issuer_key = {issuer_key}
[card {chip_fake}]
pin = {pin}
balance = 1000000
type = debit
issuer_key = {issuer_key}
[faults]
8002 = noanswer
8004 = garbage
8005 = badmac
8006 = merchant:898100066666666
8007 = terminal:87654321
8008 = stan:dup
8009 = stan:other
8011 = delay:2500
8012 = delay:1000
9701 = rc:A0
""".format(ledger=ledger, table=MESSAGE_TABLE, tid=TID, mid=MID, tmk=TMK, debit=DEBIT, pin=PIN, poor=POOR,
           poor_pin=POOR_PIN, credit=CREDIT, chip=CHIP_EMV, chip_poor=CHIP_EMV_POOR,
           chip_fake=CHIP_EMV_FAKE, chip_nocvm=CHIP_EMV_NOCVM, issuer_key=ISSUER_KEY, vector=VECTOR_PAN,
           vector_pin=VECTOR_PIN, bdk="bdk = " + bdk if bdk else "")


def chip_profiles(workdir):
    """Profile files of the chip cards: {"good": path, ...}; "cda" does
    combined DDA/AC generation, "nocvm" has the CVM list "no CVM required"."""
    with open(CHIP_PROFILE) as f:
        base = f.read()
    out = {"good": os.path.abspath(CHIP_PROFILE), "cda": os.path.abspath(CDA_PROFILE)}
    out["nocvm"] = os.path.join(workdir, "nocvm.card")
    with open(out["nocvm"], "w") as f:
        f.write(base.replace("pan " + CHIP_EMV, "pan " + CHIP_EMV_NOCVM) +
                "cvm-list 00000000000000001F00\n")
    for name, pan, key in (("poor", CHIP_EMV_POOR, ISSUER_KEY), ("fake", CHIP_EMV_FAKE, FAKE_KEY)):
        path = os.path.join(workdir, name + ".card")
        with open(path, "w") as f:
            f.write(base.replace("pan " + CHIP_EMV, "pan " + pan).replace("imk " + ISSUER_KEY,
                                                                          "imk " + key))
        out[name] = path
    return out


class HostSim:
    def __init__(self, workdir, ledger=None, tls_certs=None, bdk=None):
        """@tls_certs: directory of tests/hostsim/gen-test-certs.sh: serve TLS;
        @bdk: the terminal's DUKPT BDK (hex)."""
        self.dir = workdir
        self.ledger = ledger or os.path.join(workdir, "ledger.sqlite")
        self.config = os.path.join(workdir, "hostsim.ini")
        self.tls = tls_certs is not None
        with open(self.config, "w") as f:
            f.write(host_config(self.ledger, bdk))
            if self.tls:
                f.write("[host]\ntls_cert = %s/server.pem\ntls_key = %s/server.key\n" %
                        (tls_certs, tls_certs))
        self.log = open(os.path.join(workdir, "hostsim.log"), "a")
        self.port = None
        self.start()

    def start(self, port=None, fault=None):
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.proc = subprocess.Popen(
            [HOSTSIM, "--config", self.config, "--listen", "127.0.0.1:%s" % (port or 0),
             "--port-file", port_file] + (["--fault", fault] if fault else []) +
            (["--tls"] if self.tls else []),
            stdout=subprocess.DEVNULL, stderr=self.log)
        end = time.monotonic() + 5
        while time.monotonic() < end:
            if os.path.exists(port_file):
                with open(port_file) as f:
                    text = f.read().strip()
                if text:
                    self.port = text
                    return
            time.sleep(0.02)
        raise RuntimeError("paycard-hostsim did not start")

    def set_master_key(self, tmk):
        """The host's copy of the terminal master key (then restart)."""
        with open(self.config) as f:
            text = f.read()
        with open(self.config, "w") as f:
            f.write(text.replace("master_key = %s" % TMK, "master_key = %s" % tmk))

    def restart(self, fault=None):
        """A host that forgot every session (same port, same ledger),
        optionally misbehaving on every request but sign-in."""
        self.stop()
        self.start(self.port, fault)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def rows(self, where="1", args=()):
        db = sqlite3.connect(self.ledger)
        db.row_factory = sqlite3.Row
        try:
            return [dict(r) for r in db.execute("SELECT * FROM txn WHERE " + where, args)]
        finally:
            db.close()

    def find(self, batch, stan):
        r = self.rows("batch = ? AND stan = ?", (batch, stan))
        return r[0] if r else None

    def log_text(self):
        with open(os.path.join(self.dir, "hostsim.log")) as f:
            return f.read()


def engine_config(workdir, port, io_timeout_ms=1500, tls_ca=None, pin_key=None):
    tls = "tls = yes\nca_file = %s\nserver_name = localhost\n" % tls_ca if tls_ca else ""
    pin_key = "pin_key = %s\n" % pin_key if pin_key else ""
    return """
[host]
primary = 127.0.0.1:{port}
connect_timeout_ms = 1000
io_timeout_ms = {io}
{tls}
[keys]
store = {dir}/keystore
storage_key = {dir}/storage.key
ca_keys = {ca_keys}
{pin_key}
[fees]
debit = 50 2000
credit = 60
credit_prefixes = 622588
""".format(port=port, dir=workdir, io=io_timeout_ms, tls=tls, pin_key=pin_key,
           ca_keys=CA_KEYS) + """
[terminal]
merchant_name = Txn Test Shop
operator_id = 007
sign_in_keys = 003
pin_timeout_s = 5
reversal_attempts = 10
reversal_retry_s = 2
chip_fallback = yes
pin_bypass = yes
"""


def make_keystore(workdir, dukpt=False):
    """@dukpt: TDES DUKPT state from DUKPT_BDK and DUKPT_IKSN too."""
    subprocess.run([KEYSTORE_INIT, os.path.join(workdir, "keystore"),
                    os.path.join(workdir, "storage.key"), TMK, KBPK] +
                   (["--dukpt", DUKPT_BDK, DUKPT_IKSN] if dukpt else []), check=True)


class Relay:
    """A TCP relay on loopback between paycardd and the host simulator that
    keeps every frame the terminal sent (2-byte length + body), so a test
    reads the request as it went on the wire, not as either side says."""

    def __init__(self, host_port):
        self.host_port = int(host_port)
        self.frames = []
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(8)
        self.port = str(self.listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                host = socket.create_connection(("127.0.0.1", self.host_port))
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, host, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(host, client, False), daemon=True).start()

    def _pump(self, src, dst, keep):
        buf = b""
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                break
            if keep:
                buf += data
                while len(buf) >= 2 and len(buf) >= 2 + (buf[0] << 8 | buf[1]):
                    n = 2 + (buf[0] << 8 | buf[1])
                    with self.lock:
                        self.frames.append(buf[2:n])
                    buf = buf[n:]
            try:
                dst.sendall(data)
            except OSError:
                break
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        src.close()

    def requests(self, mti):
        """Bodies of the frames sent with @mti ("0200"): after the 5-byte
        TPDU and the 6-byte header, the MTI in 2 BCD bytes."""
        want = bytes.fromhex(mti)
        with self.lock:
            return [f for f in self.frames if f[11:13] == want]

    def stop(self):
        self.listener.close()


class Terminal:
    """paycardd + a client + a fake reader "r0"."""

    def __init__(self, workdir, port, state_dir, io_timeout_ms=1500, tls_ca=None, pin_key=None):
        self.workdir = workdir
        self.pin_key = pin_key
        self.port = port
        self.state_dir = state_dir
        self.io_timeout_ms = io_timeout_ms
        self.tls_ca = tls_ca
        self.start()

    def start(self):
        # [terminal] appears twice (harness's and ours): inih merges sections
        self.d = Daemon(extra=engine_config(self.workdir, self.port, self.io_timeout_ms,
                                            self.tls_ca, self.pin_key), state_dir=self.state_dir)
        self.conn = dbus.connection.Connection(self.d.address)
        self.term = self.conn.get_object("org.paycard", "/org/paycard/terminal")
        self.signals = []
        for name in ("Prompt", "TransactionState", "PinDigits", "Notice"):
            self.conn.add_signal_receiver(
                lambda *a, _n=name: self.signals.append((_n,) + tuple(str(x) for x in a)),
                signal_name=name, dbus_interface=TERMINAL)
        self.d.fake("plug", "r0", "PCR-100", "SN-TXN-1", "1.4.0")
        self.wait(lambda: self.prop("Readers"), 3)
        # the first reader is pinned and approved at once
        self.wait(lambda: self.prop("SignedIn"), 5)

    def prop(self, name):
        return self.term.Get(TERMINAL, name, dbus_interface="org.freedesktop.DBus.Properties")

    def wait(self, cond, timeout):
        end = time.monotonic() + timeout
        ctx = GLib.MainContext.default()
        while time.monotonic() < end:
            while ctx.pending():
                ctx.iteration(False)
            try:
                if cond():
                    return True
            except dbus.exceptions.DBusException:
                pass
            time.sleep(0.02)
        return False

    def call(self, member, *args, timeout=30):
        """(result dict, None) or (None, error name + message)."""
        try:
            r = self.term.get_dbus_method(member, TERMINAL)(*args, timeout=timeout)
            return r, None
        except dbus.exceptions.DBusException as e:
            return None, "%s: %s" % (e.get_dbus_name(), e.get_dbus_message())

    def txn(self, member, args, actions, timeout=40):
        """Call @member asynchronously, then play @actions (fake reader
        commands or ("sleep", s)); wait for the reply."""
        box = {}
        self.signals.clear()
        self.term.get_dbus_method(member, TERMINAL)(
            *args, reply_handler=lambda r: box.setdefault("ok", r),
            error_handler=lambda e: box.setdefault("err", "%s: %s" % (e.get_dbus_name(),
                                                                       e.get_dbus_message())),
            timeout=timeout)
        self.wait(lambda: any(s[0] == "TransactionState" and s[2] == "waiting-card"
                              for s in self.signals) or box, 5)
        self.play(actions)
        self.wait(lambda: box, timeout)
        if "ok" in box:
            return {str(k): (str(v) if isinstance(v, dbus.String) else v)
                    for k, v in box["ok"].items()}, None
        return None, box.get("err", "no reply")

    def play(self, actions):
        """Fake reader commands, ("sleep", s) and ("await-prompt", name,
        s): a person types when the screen asks, and keys sent before PIN
        mode is on (while a sign-in runs first, say) are ignored."""
        for a in actions:
            if a[0] == "sleep":
                time.sleep(a[1])
            elif a[0] == "await-prompt":
                self.wait(lambda: any(s[0] == "Prompt" and s[2] == a[1]
                                      for s in self.signals), a[2])
            else:
                self.d.fake(*a)
                self.wait(lambda: False, 0.03)

    def stop(self):
        self.d.stop()


def swipe_pin(pan, pin, service="101"):
    acts = [("swipe", "r0", track2(pan, service)), ("await-prompt", "enter-pin", 3)]
    acts += [("key", "r0", str(KEY_PCP[c])) for c in pin]
    acts.append(("key", "r0", str(KEY_ENTER)))
    return acts


def insert_pin(profile, pin, *extra):
    """Insert a chip card, type the PIN on the keypad, Enter."""
    acts = [("insert", "r0", profile) + tuple(extra), ("await-prompt", "enter-pin", 3)]
    acts += [("key", "r0", str(KEY_PCP[c])) for c in pin]
    acts.append(("key", "r0", str(KEY_ENTER)))
    return acts


def sale_args(amount, **opts):
    return ("r0", dbus.UInt64(amount), dbus.Dictionary(opts, signature="sv"))
