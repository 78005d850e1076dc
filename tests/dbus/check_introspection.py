#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""docs/dbus/<interface>.xml must equal what paycardd itself introspects
(members, argument names, types, directions, property access, annotations,
in order), and every member there must carry a comment.  TAP output."""

import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, Tap, run, settle  # noqa: E402

DOCS = os.environ.get("PAYCARD_DBUS_DOCS", "docs/dbus")
OBJECTS = {
    "org.paycard.Terminal1": "/org/paycard/terminal",
    "org.paycard.Reader1": "/org/paycard/reader/r0",
}


def members(iface):
    """The interface as a comparable list, in document order."""
    out = []
    for m in iface:
        if not isinstance(m.tag, str):
            continue  # comments
        args = tuple((a.get("type"), a.get("name"), a.get("direction") or "")
                     for a in m.findall("arg"))
        notes = tuple((n.get("name"), n.get("value")) for n in m.findall("annotation"))
        out.append((m.tag, m.get("name"), m.get("type") or "", m.get("access") or "", args, notes))
    return out


def undocumented(iface):
    """Members not directly preceded by a comment."""
    missing = []
    previous = None
    for m in iface:
        if isinstance(m.tag, str) and previous is not ET.Comment:
            missing.append(m.get("name"))
        previous = m.tag if not isinstance(m.tag, str) else "member"
    return missing


def find_interface(root, name):
    for iface in root.iter("interface"):
        if iface.get("name") == name:
            return iface
    return None


def diff(doc, live):
    lines = []
    for i in range(max(len(doc), len(live))):
        a = doc[i] if i < len(doc) else None
        b = live[i] if i < len(live) else None
        if a != b:
            lines.append("docs:   %r\ndaemon: %r" % (a, b))
    return "\n".join(lines[:5])


def main():
    tap = Tap()
    d = Daemon()
    try:
        d.fake("plug", "r0", "PCR-100", "SN0001", "1.3.0")
        settle()
        for name, path in OBJECTS.items():
            r = run(["busctl", "--address=" + d.address, "introspect", "--xml-interface",
                     "org.paycard", path])
            live_root = ET.fromstring(r.stdout) if r.returncode == 0 else None
            live = find_interface(live_root, name) if live_root is not None else None
            doc_file = os.path.join(DOCS, name + ".xml")
            parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
            doc = find_interface(ET.parse(doc_file, parser).getroot(), name)
            tap.check("%s: %s present and introspectable" % (name, doc_file),
                      live is not None and doc is not None, r.stderr)
            if live is None or doc is None:
                continue
            dm, lm = members(doc), members(live)
            tap.check("%s: docs and daemon agree (%d members)" % (name, len(lm)), dm == lm,
                      diff(dm, lm))
            missing = undocumented(doc)
            tap.check("%s: every member documented" % name, not missing, missing)
    finally:
        d.stop()
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
