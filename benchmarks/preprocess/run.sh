#!/usr/bin/env bash
# Lab-pipeline throughput: Embeddings.Text beside NLTK (../shared/bench/preprocess_anchor.py's functions), one session.
# Usage: bash benchmarks/preprocess/run.sh [REPS]   (default 3; the NLTK side takes about 90 s per corpus run)
# Writes benchmarks/results/preprocess.jsonl and prints the medians and the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
reps="${1:-3}"
out=benchmarks/results/preprocess.jsonl
mkdir -p benchmarks/results
dotnet build benchmarks/Embeddings.Benchmarks -c Release -v q -nologo >/dev/null
{
  dotnet benchmarks/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll preprocess --reps "$reps"
  /usr/bin/python3 benchmarks/preprocess/nltk_timing.py --reps "$reps"
} | tee "$out"
/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med = {}
for r in rows:
    med.setdefault((r["tool"], r["data"], r["threads"]), []).append(r["in_tokens_per_s"])
med = {k: statistics.median(v) for k, v in med.items()}
print("\n| data | tool | threads | input tokens/s (median) | × NLTK |")
print("| --- | --- | ---: | ---: | ---: |")
for (tool, data, threads), v in sorted(med.items(), key=lambda kv: (kv[0][1], kv[0][0] != "nltk", kv[0][2])):
    print(f"| {data} | {tool} | {threads} | {v:,.0f} | {v / med[('nltk', data, 1)]:.1f} |")
PY
