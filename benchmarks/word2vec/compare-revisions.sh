#!/usr/bin/env bash
# Same tool, two revisions: `embeddings train` built from BEFORE and from AFTER (any git revisions), run interleaved on
# ../shared/data/corpus/en.txt.gz with the side-by-side settings of run.sh (2 threads, 5 epochs), to tell whether a
# change made training slower or bigger. Prints one JSON line per run (train seconds, peak RSS) and the medians.
# Usage: [EPOCHS=5] bash benchmarks/word2vec/compare-revisions.sh BEFORE AFTER [REPS] [CONFIGS]   e.g.  … 124e6c3 main 3 "sg cbow"
set -euo pipefail
cd "$(dirname "$0")/../.."
before="$1"; after="$2"; reps="${3:-3}"; configs="${4:-sg cbow}"
work=$(mktemp -d); trap 'git worktree remove --force "$work/src-before" 2>/dev/null; git worktree remove --force "$work/src-after" 2>/dev/null; rm -rf "$work"' EXIT
zcat ../shared/data/corpus/en.txt.gz > "$work/en.txt"
for side in before after; do
  rev=${!side}
  git worktree add -q --detach "$work/src-$side" "$rev"
  ln -s "$(cd .. && pwd)/shared" "$work/shared" 2>/dev/null || true
  dotnet build "$work/src-$side/samples/Embeddings.Cli" -c Release -v q -nologo -o "$work/cli-$side" >/dev/null
done
for rep in $(seq 1 "$reps"); do
  for cfg in $configs; do
    if [ "$cfg" = sg ]; then alpha=0.025; model=skipgram; else alpha=0.05; model=cbow; fi
    for side in before after; do
      /usr/bin/time -v dotnet "$work/cli-$side/embeddings.dll" train --input "$work/en.txt" --output "$work/v.bin" --model $model \
        --alpha $alpha --dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs "${EPOCHS:-5}" --threads 2 --seed $rep --json \
        > "$work/run.json" 2> "$work/run.time"
      rss=$(grep "Maximum resident" "$work/run.time" | awk '{print $6}')
      secs=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["train_seconds"])' "$work/run.json")
      echo "{\"side\":\"$side\",\"rev\":\"${!side}\",\"config\":\"$cfg\",\"rep\":$rep,\"train_seconds\":$secs,\"peak_rss_kb\":$rss}" | tee -a "$work/runs.jsonl"
    done
  done
done
python3 - "$work/runs.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
for cfg in sorted({r["config"] for r in rows}):
    for side in ("before", "after"):
        rs = [r for r in rows if r["config"] == cfg and r["side"] == side]
        print(f"{cfg} {side} ({rs[0]['rev']}): train s median {statistics.median(r['train_seconds'] for r in rs):.1f}, "
              f"peak RSS MiB median {statistics.median(r['peak_rss_kb'] for r in rs) / 1024:.0f}, runs {len(rs)}")
PY
