#!/usr/bin/env python3
"""The k-means the RNN anchor reads (bench/work/kmeans1500.npz), alone: ../shared/bench/kmeans_anchor.py computes it
too, but only as a side effect of its full timing plan. Same call and seed: KMeans(1500, n_init=1, max_iter=100,
random_state=0, lloyd) on the gensim skip-gram vectors."""
import os
import sys

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

bench, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, bench)
import kmeans_anchor  # noqa: E402

words, X = kmeans_anchor.load_vectors(os.path.join(bench, "results", "sg_vectors.txt.gz"))
with threadpool_limits(limits=2):
    est = KMeans(n_clusters=1500, n_init=1, max_iter=100, random_state=0, algorithm="lloyd").fit(X)
os.makedirs(os.path.dirname(out), exist_ok=True)
np.savez_compressed(out, labels=est.labels_.astype(np.int32), centroids=est.cluster_centers_.astype(np.float32), words=np.array(words))
print(f"inertia {est.inertia_:.1f} -> {out}")
