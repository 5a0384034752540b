#!/usr/bin/env bash
# MostSimilar throughput, gensim vs Embeddings for .NET, on the same vectors and the same query stream.
#
# The shared machines here run other work, so timings drift by minutes. Each round runs one gensim measurement and
# then one .NET measurement right after it; the summary gives the median of the rounds for each side and the median
# of the per-round ratios.
#
#   bash benchmarks/vectors/run_throughput.sh            # ROUNDS=3, results in $OUT (default /tmp/vector-throughput)
#   RUNNER="dotnet path/to/runner.dll" bash benchmarks/vectors/run_throughput.sh   # any runner taking the `queries` args
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ROUNDS="${ROUNDS:-3}"
OUT="${OUT:-/tmp/vector-throughput}"
RUNNER="${RUNNER:-dotnet run -c Release --project $REPO/benchmarks/Embeddings.Benchmarks --}"
mkdir -p "$OUT"

for round in $(seq 1 "$ROUNDS"); do
  /usr/bin/python3 "$HERE/gensim_queries.py" --throughput-only --runs 1 --out "$OUT/gensim-$round.json" > /dev/null
  $RUNNER queries --gensim "$OUT/gensim-$round.json" --throughput-only --runs 1 --out "$OUT/ours-$round.json" > /dev/null || true
done

/usr/bin/python3 - "$OUT" "$ROUNDS" <<'PY'
import json, statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
rows = []
for r in range(1, rounds + 1):
    g = json.load(open(f"{out}/gensim-{r}.json"))["throughput"]
    o = json.load(open(f"{out}/ours-{r}.json"))["throughput"]
    t = o["gensim_blas_threads"]
    rows.append({"round": r, "gensim_qps": g["median_qps"], "gensim_blas_threads": t,
                 "ours_qps_1_thread": o["ours_threads1_median_qps"], f"ours_qps_{t}_threads": o[f"ours_threads{t}_median_qps"],
                 "ratio_1_thread": o["ratio_threads1"], f"ratio_{t}_threads": o[f"ratio_threads{t}"],
                 "gensim_loadavg": g.get("loadavg_1min"), "ours_loadavg": o.get("ours_loadavg_1min"),
                 "ours_batch_qps_by_threads": o.get("ours_batch_qps_by_threads")})
t = rows[0]["gensim_blas_threads"]
med = lambda key: statistics.median(r[key] for r in rows)
summary = {"rounds": rows, "queries_per_run": json.load(open(f"{out}/ours-1.json"))["throughput"]["queries_per_run"],
           "gensim_median_qps": med("gensim_qps"),
           "ours_median_qps_1_thread": med("ours_qps_1_thread"), f"ours_median_qps_{t}_threads": med(f"ours_qps_{t}_threads"),
           "median_ratio_1_thread": med("ratio_1_thread"), f"median_ratio_{t}_threads": med(f"ratio_{t}_threads")}
print(json.dumps(summary, indent=1))
PY
