#!/usr/bin/env python3
"""Writes the RNN anchor's exact inputs for the .NET side: the id stream and the centroids.

Reads the k-means result of ../shared/bench/kmeans_anchor.py (kmeans1500.npz: words, labels, centroids) and the
corpus, maps every token to its cluster id exactly as ../shared/bench/rnn_anchor.py's load_ids does (tokens outside
the vocabulary dropped, one stream across lines), and writes
  ids.i32        little-endian int32 cluster ids
  centroids.txt  word2vec text format, one row per cluster named c0 … c1499 (the frozen embedding)
"""
import argparse
import gzip
import os

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("--kmeans", required=True)
ap.add_argument("--corpus", required=True)
ap.add_argument("--out", required=True)
a = ap.parse_args()
km = np.load(a.kmeans)
word2label = {str(w): int(c) for w, c in zip(km["words"], km["labels"])}
ids = []
with gzip.open(a.corpus, "rt", encoding="ascii") as fh:
    for line in fh:
        for w in line.split():
            c = word2label.get(w)
            if c is not None:
                ids.append(c)
os.makedirs(a.out, exist_ok=True)
np.asarray(ids, dtype="<i4").tofile(os.path.join(a.out, "ids.i32"))
centroids = km["centroids"].astype(np.float32)
with open(os.path.join(a.out, "centroids.txt"), "w") as fh:
    fh.write(f"{centroids.shape[0]} {centroids.shape[1]}\n")
    for i, row in enumerate(centroids):
        fh.write(f"c{i} " + " ".join(repr(float(x)) for x in row) + "\n")
print(f"{len(ids):,} ids, {centroids.shape} centroids -> {a.out}")
