#!/usr/bin/env python3
"""Compares two native files by content, whichever frame each was written in (the earlier frames or the one frame of
docs/file-formats.md): vectors by dimensions, vocabulary and matrix bytes; every other kind by magic, flags and payload.
Exit 0: same content; 2: same but for the last 128 bytes (a run's report); 1: different. Usage: payload.py BEFORE AFTER"""
import struct, sys

FRAMED = {b"EMBV": 2, b"EMCK": 3, b"EMBC": 2}  # first version in the one frame; 2 for every other kind


def content(path):
    b = open(path, "rb").read()
    magic, version = b[:4], struct.unpack_from("<H", b, 4)[0]
    framed = version >= FRAMED.get(magic, 2)
    if magic == b"EMBV":
        if framed:
            dims, count, v = struct.unpack_from("<i4xqq", b, 24)
            vocab_at, matrix_at, end = 48, (48 + v + 63) // 64 * 64, len(b)
        else:
            dims, count = struct.unpack_from("<iq", b, 12)
            v, matrix_at = struct.unpack_from("<qq", b, 32)
            vocab_at, end = 64, len(b) - 8
        return struct.pack("<iq", dims, count) + b[vocab_at:vocab_at + v] + b[matrix_at:end]
    payload = b[24:] if framed else b[8:-8]
    return magic + b[6:8] + payload


a, b = content(sys.argv[1]), content(sys.argv[2])
if a == b:
    sys.exit(0)
first = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
sys.exit(2 if len(a) == len(b) and first > len(a) - 128 else 1)
