#!/usr/bin/env python3
"""scikit-learn side of the k-means side-by-side: KMeans(n_init=1, algorithm='lloyd', max_iter, tol) on word2vec text
vectors, one JSON line per (k, seed) on stdout. Threads come from OMP_NUM_THREADS / OPENBLAS_NUM_THREADS (run.sh sets 2).

  python3 sklearn_side.py --vectors V.txt[.gz] --k 1500,256 --seeds 0,1,2 [--max-iter 100] [--tol 1e-4]
"""
import argparse
import gzip
import json
import time

import numpy as np


def load_vectors(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        n, d = map(int, fh.readline().split())
        X = np.empty((n, d), dtype=np.float32)
        for i, line in enumerate(fh):
            X[i] = np.asarray(line.rstrip("\n").split(" ")[1:d + 1], dtype=np.float32)
    return X


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vectors", required=True)
    ap.add_argument("--k", default="1500,256")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--max-iter", type=int, default=100)
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()
    from sklearn import __version__ as sklearn_version
    from sklearn.cluster import KMeans
    X = load_vectors(a.vectors)
    for k in map(int, a.k.split(",")):
        for seed in map(int, a.seeds.split(",")):
            est = KMeans(n_clusters=k, n_init=1, algorithm="lloyd", max_iter=a.max_iter, tol=a.tol, random_state=seed)
            t0 = time.perf_counter()
            est.fit(X)
            seconds = time.perf_counter() - t0
            # Inertia recomputed in float64, the definition the .NET side reports.
            diff = X.astype(np.float64) - est.cluster_centers_.astype(np.float64)[est.labels_]
            print(json.dumps({"side": "sklearn", "version": sklearn_version, "k": k, "seed": seed, "points": X.shape[0],
                              "dimensions": X.shape[1], "tol": a.tol, "seconds": seconds, "iterations": int(est.n_iter_),
                              "inertia": float(np.einsum("ij,ij->", diff, diff)), "inertia_sklearn": float(est.inertia_)}),
                  flush=True)


if __name__ == "__main__":
    main()
