#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The host simulator refuses requests that break the written table
(unionpay-table.txt) with 30 and logs the rule, and accepts one that keeps
it.  Requests are built field by field here with paycard-tool (values
written in this file, from docs/unionpay-messages.md), not by paycardd.

    check_hostsim_table.py PAYCARD-TOOL PAYCARD-HOSTSIM
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TID, MID = "12345678", "898100012345678"
BASE = ["11=000101", "41=" + TID, "42=" + MID]
SALE = ["2=6222021234567890", "3=000000", "4=000000001000", "22=021", "25=00",
        "49=156", "60=2200000100050", "63=001", "64=0000000000000000"] + BASE
PIN = ["52=0102030405060708", "26=12"]

# (name, MTI, fields, refused?, rule text the log must name)
CASES = [
    ("sign-in with key set 003 keeps the table", "0800",
     BASE + ["60=00000001003", "63=001"], False, ""),
    ("sign-in with key set 009", "0800", BASE + ["60=00000001009", "63=001"],
     True, "signin field 60: value does not match"),
    ("sale with a PIN block and no 53", "0200", SALE + PIN, True,
     "sale field 53: C52: missing"),
    ("sale with 53.1 = 1 (without PAN)", "0200", SALE + PIN + ["53=1600000000000000"],
     True, "sale field 53: value does not match"),
    ("sale with 26 but no PIN block", "0200", SALE + ["26=12"], True,
     "sale field 26: C52: present without field 52"),
    ("sale without 49", "0200", [f for f in SALE if not f.startswith("49=")], True,
     "sale field 49: M: missing"),
    ("sale with 60.1-60.2 only", "0200",
     [f for f in SALE if not f.startswith("60=")] + ["60=22000001"], True,
     "sale field 60: value does not match"),
    ("pre-auth with condition code 00", "0100",
     ["2=6222021234567890", "3=030000", "4=000000001000", "22=021", "25=00",
      "49=156", "60=1000000100050", "63=001", "64=0000000000000000"] + BASE, True,
     "preauth field 25: must be 06"),
    ("sale with a field the table does not list (12)", "0200", SALE + ["12=101010"],
     True, "sale field 12: no rule: must be absent"),
]


def hand_built():
    """The messages of hand/ (field 64 left as 8 zero bytes: the table only
    asks for 8 bytes there)."""
    sys.path.insert(0, HERE)
    from check_hand import parse  # noqa: E402
    out = []
    for name in sorted(os.listdir(os.path.join(HERE, "hand"))):
        frame, _, _, _ = parse(os.path.join(HERE, "hand", name))
        out.append((name, frame + bytes(8)))
    return out


def encode(tool, mti, fields):
    out = subprocess.run([tool, "iso8583", "encode", mti] + fields, capture_output=True,
                         text=True, check=True)
    return bytes.fromhex(out.stdout.strip())


def exchange(port, frame):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(frame)
        head = s.recv(2)
        n = int.from_bytes(head, "big")
        body = b""
        while len(body) < n:
            chunk = s.recv(n - len(body))
            if not chunk:
                break
            body += chunk
    return head + body


def field39(tool, frame):
    out = subprocess.run([tool, "iso8583", "decode", "--json", frame.hex()],
                         capture_output=True, text=True, check=True)
    return {str(f["field"]): f["value"] for f in json.loads(out.stdout)["fields"]}.get("39")


def main():
    tool, hostsim = sys.argv[1], sys.argv[2]
    work = tempfile.mkdtemp(prefix="paycard-table-")
    config = os.path.join(work, "hostsim.ini")
    with open(config, "w") as f:
        f.write("[host]\nacquirer_id = 48021000\nledger = %s/ledger.db\n"
                "message_table = %s/unionpay-table.txt\n"
                "[terminal %s]\nmerchant = %s\nmaster_key = 70F2A84CCBC2AE8625CBB0F2C22AB923\n"
                % (work, HERE, TID, MID))
    log_path = os.path.join(work, "hostsim.log")
    port_file = os.path.join(work, "port")
    log = open(log_path, "w")
    proc = subprocess.Popen([hostsim, "--config", config, "--listen", "127.0.0.1:0",
                             "--port-file", port_file], stdout=subprocess.DEVNULL, stderr=log)
    passed = failed = 0
    try:
        for _ in range(100):
            if os.path.exists(port_file) and open(port_file).read().strip():
                break
            time.sleep(0.05)
        port = int(open(port_file).read())
        cases = [(n, None, f, r, rule) for n, _, f, r, rule in CASES]
        cases = [(n, encode(tool, m, f), r, rule) for (n, m, f, r, rule) in
                 [(c[0], CASES[i][1], c[2], c[3], c[4]) for i, c in enumerate(cases)]]
        cases += [("hand-built %s is not refused" % n, frame, False, "")
                  for n, frame in hand_built()]
        for name, frame, refused, rule in cases:
            before = open(log_path).read()
            rc = field39(tool, exchange(port, frame))
            time.sleep(0.05)
            new = open(log_path).read()[len(before):]
            if refused:
                ok = rc == "30" and ("table refused: " + rule) in new
            elif name.startswith("hand-built"):
                ok = rc != "30" and "table refused" not in new   # 77: not signed in
            else:
                ok = rc == "00" and "table refused" not in new
            print("%s %s (answer %s)%s" % ("PASS" if ok else "FAIL", name, rc,
                                          "" if ok else ": " + new.strip()))
            passed += ok
            failed += not ok
    finally:
        proc.terminate()
        proc.wait()
        log.close()
        shutil.rmtree(work, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
