#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Real UnionPay messages from public sources (tests/conformance/real/*.txt,
each naming its source) must decode with paycard-tool to the values their
source states ("expect") and to the values read from their bytes by hand
("bytes").  One TAP-style PASS/FAIL line per value.

    check_real.py PAYCARD-TOOL [FILE...]
"""
import glob
import json
import os
import subprocess
import sys


def parse(path):
    frame, checks = "", []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            word, rest = line.split(None, 1)
            if word == "hex":
                frame += rest.replace(" ", "")
            elif word in ("expect", "bytes"):
                key, value = rest.split(None, 1)
                checks.append((word, key, value))
            else:
                raise ValueError("%s: unknown line %r" % (path, line))
    return frame, checks


def decoded_values(tool, frame):
    out = subprocess.run([tool, "iso8583", "decode", "--json", frame],
                         capture_output=True, text=True)
    if out.returncode:
        return None, out.stderr.strip()
    d = json.loads(out.stdout)
    values = {"mti": d["mti"], "bitmap": d["bitmap"]}
    for f in d["fields"]:
        values[str(f["field"])] = f["value"]
    return values, ""


def main():
    tool = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    files = sys.argv[2:] or sorted(glob.glob(os.path.join(here, "real", "*.txt")))
    passed = failed = 0
    for path in files:
        name = os.path.basename(path)
        frame, checks = parse(path)
        values, err = decoded_values(tool, frame)
        if values is None:
            print("FAIL %s decodes: %s" % (name, err))
            failed += 1
            continue
        print("PASS %s decodes" % name)
        passed += 1
        for kind, key, want in checks:
            got = values.get(key)
            ok = got == want
            print("%s %s %s %s = %s%s" % ("PASS" if ok else "FAIL", name, kind, key,
                                          want, "" if ok else " (decoded %r)" % got))
            passed += ok
            failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
