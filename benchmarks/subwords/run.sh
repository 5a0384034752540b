#!/usr/bin/env bash
# Subword (fastText) training side by side: `embeddings train --subwords 3-6 --buckets 2000000` and fastText 0.9.2
# (Debian `fasttext skipgram|cbow -minn 3 -maxn 6 -bucket 2000000 -loss ns`) on ../shared/data/corpus/en.txt.gz with the
# same settings as benchmarks/word2vec/run.sh (dim 100, window 5, negative 5, min count 5, sample 1e-3, 5 epochs,
# 2 threads; alpha 0.025 SG, 0.05 CBOW, given to both; ours also gets fastText's fixed choices, noise words drawn from
# count^0.5 and the learning rate decaying to 0: --ns-exponent 0.5 --min-alpha 0). Runs are interleaved, ours first. The time is the whole run's
# wall clock (reading, vocabulary, training, writing), since fastText reports no phase times; both sides' .vec files
# (vocabulary words' composed vectors) are evaluated by the same `embeddings evaluate` (analogies restricted to the 30k
# most frequent words, WordSim-353). fastText's subword skip-gram takes tens of minutes a run on 2 threads.
# The user + system CPU seconds (from /usr/bin/time) are recorded too: on a shared machine they move less than the wall time.
# LINES=N trains on the corpus' first N lines only: a smoke check of the script, not a figure to compare with fastText's.
# EPOCHS=N changes the 5 epochs on both sides (a shorter side-by-side run).
# Usage: [LINES=N] [EPOCHS=N] [OUT=results.jsonl] bash benchmarks/subwords/run.sh [REPS] [CONFIGS]   e.g.  bash benchmarks/subwords/run.sh 3 "sg cbow"
# Appends one JSON line per run to benchmarks/results/subwords.jsonl; the lead takes the medians.
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/anchors.sh fasttext
reps="${1:-1}"; configs="${2:-sg cbow}"; epochs="${EPOCHS:-5}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ -n "${LINES:-}" ]; then zcat ../shared/data/corpus/en.txt.gz | head -n "$LINES" > "$work/en.txt" || true
else zcat ../shared/data/corpus/en.txt.gz > "$work/en.txt"; fi
# The CLI is built into the work folder, so that rebuilding the tree during a long run cannot change the binary.
dotnet build samples/Embeddings.Cli -c Release -v q -nologo -o "$work/cli" >/dev/null
cli="dotnet $work/cli/embeddings.dll"
out="${OUT:-benchmarks/results/subwords.jsonl}"
commit=$(git rev-parse --short HEAD)
evaluate() {
  $cli evaluate --vectors "$1" --analogies ../shared/data/eval/questions-words.txt \
    --similarity ../shared/data/eval/wordsim353.tsv --restrict-vocab 30000 --json
}
for rep in $(seq 1 "$reps"); do
  for cfg in $configs; do
    if [ "$cfg" = sg ]; then alpha=0.025; model=skipgram; else alpha=0.05; model=cbow; fi
    for tool in embeddings fasttext; do
      start=$(date +%s.%N)
      case $tool in
        embeddings)
          /usr/bin/time -v $cli train --input "$work/en.txt" --output "$work/ours.vec" --format text --model $model --alpha $alpha \
            --subwords 3-6 --buckets 2000000 --ns-exponent 0.5 --min-alpha 0 --dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs "$epochs" \
            --threads 2 --seed "$rep" --json > "$work/run.json" 2> "$work/run.time"
          vectors="$work/ours.vec" ;;
        fasttext)
          /usr/bin/time -v fasttext $model -input "$work/en.txt" -output "$work/ft" -minn 3 -maxn 6 -bucket 2000000 -thread 2 \
            -dim 100 -ws 5 -neg 5 -loss ns -minCount 5 -t 1e-3 -lr $alpha -epoch "$epochs" -wordNgrams 1 -verbose 1 \
            > /dev/null 2> "$work/run.time"
          echo "{\"command\":\"fasttext $model -minn 3 -maxn 6 -bucket 2000000 -thread 2 -dim 100 -ws 5 -neg 5 -loss ns -minCount 5 -t 1e-3 -lr $alpha -epoch $epochs\"}" > "$work/run.json"
          vectors="$work/ft.vec" ;;
      esac
      wall=$(awk -v start="$start" -v end="$(date +%s.%N)" 'BEGIN { printf "%.2f", end - start }')
      rss=$(grep "Maximum resident" "$work/run.time" | awk '{print $6}')
      cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$work/run.time")
      echo "{\"tool\":\"$tool\",\"config\":\"$cfg\",\"rep\":$rep,\"commit\":\"$commit\",\"lines\":\"${LINES:-all}\",\"epochs\":$epochs,\"wall_s\":$wall,\"cpu_s\":$cpu,\"peak_rss_kb\":$rss,\"run\":$(cat "$work/run.json"),\"eval\":$(evaluate "$vectors")}" | tee -a "$out"
      rm -f "$work/ft.bin" "$work/ft.vec" "$work/ours.vec"
    done
  done
done
