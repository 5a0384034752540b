#!/usr/bin/env bash
# Compression of word vectors, every method at 8×, 16× and 32× (400, 200, 100 bits a word for 100 float32 dimensions):
# k-means, product quantization (with its balanced rotation, and without: pq-plain), autoencoder, binary codes, and 8-bit scalars (which need 8 bits a dimension, so run at
# 800 bits, 4×, as the reference; they refuse the smaller budgets). For each: bytes a word, the compression ratio, the
# training seconds, the reconstruction MSE of the unit vectors, the decoded vectors' analogy accuracy (30k restrict,
# ../shared/data/eval/questions-words.txt), WS-353 and SimLex-999 Spearman and their share of the originals', recall@10
# of the compressed search against exact float search (1000 most frequent words), and single-thread query time of the
# compressed search beside float MostSimilar on the same 300 words. Seeded (SEED, default 0), 2 threads for training.
# Vectors: ../shared/bench/results/sg_vectors.txt.gz (gensim skip-gram, 53,790 × 100) unless VECTORS is set.
# One JSON line per (method, bits) is appended to benchmarks/results/compression.jsonl (OUT), with the commit; a
# Markdown table of the run is printed at the end.
# Usage: [VECTORS=F] [SEED=0] [OUT=…] bash benchmarks/compression/run.sh [METHODS] [BITS]
#   e.g.  nice -n 19 bash benchmarks/compression/run.sh kmeans,pq,autoencoder,binary 400,200,100
set -euo pipefail
cd "$(dirname "$0")/../.."
methods="${1:-kmeans,pq,pq-plain,autoencoder,binary}"; bits="${2:-400,200,100}"
vectors="${VECTORS:-../shared/bench/results/sg_vectors.txt.gz}"
out="${OUT:-benchmarks/results/compression.jsonl}"
seed="${SEED:-0}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# Built into the work folder, so that rebuilding the tree during a run cannot change the binary.
dotnet build benchmarks/Embeddings.Benchmarks -c Release -v q -nologo -o "$work/bench" >/dev/null
commit=$(git rev-parse --short HEAD)
run() {
  dotnet "$work/bench/Embeddings.Benchmarks.dll" compression --vectors "$vectors" --methods "$1" --bits "$2" --seed "$seed" \
    --threads 2 --eval ../shared/data/eval --recall-queries 1000 --speed-queries 300 \
    | sed -u "s/^{/{\"commit\":\"$commit\",/" | tee -a "$work/runs.jsonl"
}
run "$methods" "$bits"
case ",$methods," in *,scalar8,*) ;; *) run scalar8 800 | grep -v '"float32"' >/dev/null || true ;; esac
grep -v '"method":"float32"' "$work/runs.jsonl" > "$work/rows.jsonl" || true
head -n 1 "$work/runs.jsonl" | cat - "$work/rows.jsonl" >> "$out"
/usr/bin/python3 - "$work/runs.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
base = next(r for r in rows if r["method"] == "float32")
print(f"\nfloat32: analogy {base['analogy']:.4f}, WS-353 {base['ws353']:.4f}, SimLex {base['simlex']:.4f}, query {base['query_ms']:.3f} ms")
print("| method | bits | bytes/word | ratio | train s | MSE | analogy (kept) | WS-353 (kept) | SimLex (kept) | recall@10 | query ms | vs float |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
seen = set()
for r in rows:
    if r["method"] == "float32" or (r["method"], r["bits"]) in seen:
        continue
    seen.add((r["method"], r["bits"]))
    if "refused" in r:
        print(f"| {r['method']} | {r['bits']} | refused: {r['refused'].splitlines()[0]} |||||||||")
        continue
    print(f"| {r['method']} | {r['bits']} | {r['bytes_per_vector']:.3g} | {r['ratio']:.1f}× | {r['seconds']:.1f} | {r['reconstruction_mse']:.2e} "
          f"| {r['analogy']:.4f} ({r['analogy_kept']:.1%}) | {r['ws353']:.4f} ({r['ws353_kept']:.1%}) | {r['simlex']:.4f} ({r['simlex_kept']:.1%}) "
          f"| {r['recall_at_10']:.3f} | {r['query_ms']:.3f} | {r['speedup_vs_float']:.2f}× |")
PY
