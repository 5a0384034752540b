#!/usr/bin/env python3
"""The throughput file: every line of ../shared/data/corpus/en.txt.gz (545,503 lines, 11.3 M tokens, already
lowercased and tokenized) with a synthetic label, written to WORK/throughput/train.txt, and its text alone to
WORK/throughput/text.txt for prediction. Only speed is measured on it, so the labels need only be deterministic and
spread over more than two classes: `__label__k` with k = CRC-32 of the line's first word mod 4 (four classes of
roughly equal size, which a bag of words can learn, since the first word is in the bag).

Usage: python3 benchmarks/classification/make-throughput.py WORK
"""
import gzip
import os
import sys
import zlib

import labelled

folder = os.path.join(sys.argv[1], "throughput")
os.makedirs(folder, exist_ok=True)
source = labelled.shared_data("corpus", "en.txt.gz")
lines = tokens = 0
with gzip.open(source, "rt", encoding="utf-8") as corpus, \
        open(os.path.join(folder, "train.txt"), "w", encoding="utf-8", newline="\n") as train, \
        open(os.path.join(folder, "text.txt"), "w", encoding="utf-8", newline="\n") as text:
    for line in corpus:
        words = line.split()
        if not words:
            continue
        train.write(f"__label__{zlib.crc32(words[0].encode('utf-8')) % 4} {' '.join(words)}\n")
        text.write(" ".join(words) + "\n")
        lines += 1
        tokens += len(words)
print(f"throughput: {lines:,} lines, {tokens:,} tokens", file=sys.stderr)
