#!/usr/bin/env bash
# word2vec side by side: `embeddings train` and gensim (../shared/bench/anchor_gensim.py, iterable mode, the faster
# one here) on ../shared/data/corpus/en.txt.gz with the anchors' settings (dim 100, window 5, negative 5, min count 5,
# sample 1e-3, 5 epochs, 2 threads; alpha 0.025 SG, 0.05 CBOW). Runs are interleaved; both sides' vectors are
# evaluated by `embeddings evaluate` (analogies restricted to the 30k most frequent words, WordSim-353), whose figures
# equal gensim's evaluate_word_analogies / evaluate_word_pairs exactly (benchmarks/vectors/) and take seconds, not minutes.
# Usage: bash benchmarks/word2vec/run.sh [REPS] [CONFIGS]   e.g.  bash benchmarks/word2vec/run.sh 3 "sg cbow"
# Appends one JSON line per run to benchmarks/results/word2vec.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
reps="${1:-1}"; configs="${2:-sg cbow}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
zcat ../shared/data/corpus/en.txt.gz > "$work/en.txt"
dotnet build samples/Embeddings.Cli -c Release -v q -nologo >/dev/null
cli="dotnet samples/Embeddings.Cli/bin/Release/net10.0/embeddings.dll"
out=benchmarks/results/word2vec.jsonl
for rep in $(seq 1 "$reps"); do
  for cfg in $configs; do
    if [ "$cfg" = sg ]; then sg=1; alpha=0.025; model=skipgram; else sg=0; alpha=0.05; model=cbow; fi
    common="--dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 5"
    # ours
    /usr/bin/time -v $cli train --input "$work/en.txt" --output "$work/ours.txt" --format text --model $model --alpha $alpha \
      $common --threads 2 --seed $rep --json > "$work/ours.json" 2> "$work/ours.time"
    rss=$(grep "Maximum resident" "$work/ours.time" | awk '{print $6}')
    eval=$($cli evaluate --vectors "$work/ours.txt" --analogies ../shared/data/eval/questions-words.txt \
      --similarity ../shared/data/eval/wordsim353.tsv --restrict-vocab 30000 --json)
    echo "{\"tool\":\"embeddings\",\"config\":\"$cfg\",\"rep\":$rep,\"peak_rss_kb\":$rss,\"run\":$(cat "$work/ours.json"),\"eval\":$eval}" | tee -a "$out"
    # gensim
    /usr/bin/time -v /usr/bin/python3 ../shared/bench/anchor_gensim.py --corpus "$work/en.txt" --sg $sg --alpha $alpha --mode iterable \
      --workers 2 $common --seed $rep --out-vec "$work/gensim.txt" --out-json "$work/gensim.json" > /dev/null 2> "$work/gensim.time"
    rss=$(grep "Maximum resident" "$work/gensim.time" | awk '{print $6}')
    eval=$($cli evaluate --vectors "$work/gensim.txt" --analogies ../shared/data/eval/questions-words.txt \
      --similarity ../shared/data/eval/wordsim353.tsv --restrict-vocab 30000 --json)
    echo "{\"tool\":\"gensim\",\"config\":\"$cfg\",\"rep\":$rep,\"peak_rss_kb\":$rss,\"run\":$(cat "$work/gensim.json"),\"eval\":$eval}" | tee -a "$out"
  done
done
