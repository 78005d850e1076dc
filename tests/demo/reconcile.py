#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Host side of the txn-vm suite: the guest (tests/demo/vm/demo-scenarios.sh)
prints the terminal's journal export and the host simulator's ledger as
base64 between "DEMO-FILE NAME BEGIN" / "DEMO-FILE NAME END" lines; this
reads the console log, writes the files to OUTDIR and checks what only
the ledger can tell: the reversals the host recorded, and that the
journal and the ledger reconcile exactly.  Prints PASS/FAIL lines.

    tests/demo/reconcile.py CONSOLE_LOG OUTDIR
"""

import base64
import json
import os
import re
import sqlite3
import sys

TID = "10000159"
B64 = re.compile(r"^[A-Za-z0-9+/=]+$")
# ledger status -> the journal states that mean the same
SAME_STATE = {s: {s} for s in ("approved", "voided", "reversed", "declined", "completed",
                                "released")}


def verdict(name, ok, why=""):
    print("%s txn-vm-%s" % ("PASS" if ok else "FAIL", name))
    if not ok:
        print("  why: %s" % why)


def extract(console, outdir):
    """The DEMO-FILE blocks of @console, written to @outdir; their names."""
    files, name, chunks = [], None, []
    with open(console, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"^DEMO-FILE (\S+) (BEGIN|END)$", line)
            if m and m.group(2) == "BEGIN":
                name, chunks = os.path.basename(m.group(1)), []
            elif m and name:
                with open(os.path.join(outdir, name), "wb") as out:
                    out.write(base64.b64decode("".join(chunks)))
                files.append(name)
                name = None
            elif name and B64.match(line):
                chunks.append(line)
    return files


def ledger_rows(path):
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM txn WHERE tid = ?", (TID,))]
    finally:
        db.close()


def key(batch, stan):
    return (int(batch), int(stan))


def reconcile(journal, rows):
    """Every host record has a journal record in the same state and amount;
    every journal record the host must know is on the host."""
    recs = {key(r["batch"], r["stan"]): r for r in journal}
    host = {key(r["batch"], r["stan"]): r for r in rows}
    bad = []
    for k, row in host.items():
        rec = recs.get(k)
        if not rec or rec["state"] not in SAME_STATE.get(row["status"], ()) or \
                rec["amount"] != row["amount"]:
            bad.append(("host", k, row["status"], row["amount"], rec and rec["state"]))
    for k, rec in recs.items():
        if rec["state"] in ("approved", "voided", "completed", "released", "reversed") and \
                k not in host:
            bad.append(("terminal only", k, rec["state"], rec["amount"]))
    return bad


def main():
    console, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    for stale in ("journal.json", "ledger.sqlite", "ledger.sqlite-wal"):
        if os.path.exists(os.path.join(outdir, stale)):
            os.unlink(os.path.join(outdir, stale))
    files = extract(console, outdir)
    if "journal.json" not in files or "ledger.sqlite" not in files:
        verdict("journal-ledger-reconcile", False,
                "the guest did not print its journal and ledger (got %s)" % files)
        return
    try:
        with open(os.path.join(outdir, "journal.json")) as f:
            journal = json.load(f)
        rows = ledger_rows(os.path.join(outdir, "ledger.sqlite"))
    except (ValueError, sqlite3.Error) as e:
        verdict("journal-ledger-reconcile", False, "unreadable: %s" % e)
        return
    # the fault rules of demo-world.sh: 80.02 host silent, 80.05 bad MAC,
    # 80.06 answered under another merchant ID, 80.11 answered late while
    # paycardd was killed, 80.12 chip card pulled out before it confirmed
    # the approval; the host must hold each as reversed
    for amount, name in ((8002, "host-silent-ledger-reversed"),
                         (8005, "bad-mac-ledger-reversed"),
                         (8006, "other-merchant-ledger-reversed"),
                         (8011, "killed-mid-sale-ledger-reversed"),
                         (8012, "chip-card-pulled-ledger-reversed")):
        mine = [r for r in rows if r["amount"] == amount and r["kind"] == "sale"]
        verdict(name, len(mine) == 1 and mine[0]["status"] == "reversed", mine)
    bad = reconcile(journal, rows)
    verdict("journal-ledger-reconcile", not bad and rows,
            bad or "the host ledger is empty")
    print("reconciliation: %d journal records, %d host ledger records, %d differences" %
          (len(journal), len(rows), len(bad)))


if __name__ == "__main__":
    main()
