#!/usr/bin/env python3
"""Counts the records in an agent outbox folder (src/docs/agent.md, "Outbox": frames in *.seg files) and prints
"RECORDS FIRST-SEQ LAST-SEQ"; exits 1 on a frame whose magic is wrong. Used by deploy/debian/test.sh."""
import glob
import os
import struct
import sys

MAGIC = bytes.fromhex("E60B5EC7")
records, first, last = 0, None, None
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.seg"))):
    data = open(path, "rb").read()
    at = 0
    while at + 8 <= len(data):
        if data[at:at + 4] != MAGIC:
            if data[at:].strip(b"\0") == b"":
                break  # preallocated or zeroed tail
            sys.exit(f"outbox-count.py: {path}: no frame magic at byte {at}")
        length, seq = struct.unpack_from("<IQ", data, at + 4)
        records += 1
        first = seq if first is None else first
        last = seq
        at += length
print(records, first or 0, last or 0)
