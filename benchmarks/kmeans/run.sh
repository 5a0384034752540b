#!/usr/bin/env bash
# k-means side by side: Embeddings.Quantization's KMeans and scikit-learn 1.2 KMeans(n_init=1, algorithm='lloyd',
# max_iter=100, tol=1e-4), both at 2 threads, on the same word2vec text vectors, the same k and the same seeds
# (the seeds differ in meaning between the two sides: each side's own k-means++ draws). Each run is one JSON line
# (seconds including the k-means++ initialisation, iterations, inertia recomputed in float64), appended to $OUT;
# the medians per side and k, and the ratios, are printed at the end.
# Vectors: ../shared/bench/results/sg_vectors.txt.gz (gensim skip-gram on ../shared/data/corpus/en.txt.gz) unless
# VECTORS is set; produce your own with ../shared/bench/anchor_gensim.py --sg 1 … --out-vec sg.txt.
# TOL (default 1e-4, scikit-learn's) is both sides' tolerance; TOL=0 runs every one of the 100 iterations unless the
# labels stop changing, for a comparison at equal iterations.
# Usage: [VECTORS=F] [TOL=1e-4] [OUT=benchmarks/results/kmeans.jsonl] bash benchmarks/kmeans/run.sh [SEEDS] [KS]   e.g.  … run.sh 0,1,2 1500,256
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/anchors.sh python3-sklearn
seeds="${1:-0,1,2}"; ks="${2:-1500,256}"
vectors="${VECTORS:-../shared/bench/results/sg_vectors.txt.gz}"
out="${OUT:-benchmarks/results/kmeans.jsonl}"
tol="${TOL:-1e-4}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=2 OPENBLAS_NUM_THREADS=2 MKL_NUM_THREADS=2
# Built into the work folder, so that rebuilding the tree during a run cannot change the binary.
dotnet build benchmarks/Embeddings.Benchmarks -c Release -v q -nologo -o "$work/bench" >/dev/null
# Interleave the sides per (k, seed) so that a disturbance hits both alike.
for k in ${ks//,/ }; do
  for seed in ${seeds//,/ }; do
    dotnet "$work/bench/Embeddings.Benchmarks.dll" kmeans --vectors "$vectors" --k "$k" --seeds "$seed" --threads 2 \
      --max-iter 100 --tol "$tol" | tee -a "$work/runs.jsonl"
    /usr/bin/python3 benchmarks/kmeans/sklearn_side.py --vectors "$vectors" --k "$k" --seeds "$seed" --max-iter 100 --tol "$tol" \
      | tee -a "$work/runs.jsonl"
  done
done
cat "$work/runs.jsonl" >> "$out"
/usr/bin/python3 - "$work/runs.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
for k in sorted({r["k"] for r in rows}, reverse=True):
    med = {side: {key: statistics.median(r[key] for r in rows if r["k"] == k and r["side"] == side)
                  for key in ("seconds", "inertia", "iterations")} for side in ("dotnet", "sklearn")}
    print(json.dumps({"summary": True, "k": k, "dotnet": med["dotnet"], "sklearn": med["sklearn"],
                      "time_ratio": med["dotnet"]["seconds"] / med["sklearn"]["seconds"],
                      "inertia_ratio": med["dotnet"]["inertia"] / med["sklearn"]["inertia"]}))
PY
