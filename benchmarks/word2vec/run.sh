#!/usr/bin/env bash
# word2vec side by side: `embeddings train` and gensim (../shared/bench/anchor_gensim.py, iterable mode, the faster
# one here) on ../shared/data/corpus/en.txt.gz with the anchors' settings (dim 100, window 5, negative 5, min count 5,
# sample 1e-3, 5 epochs, 2 threads; alpha 0.025 SG, 0.05 CBOW). Runs are interleaved; both sides' vectors are
# evaluated by `embeddings evaluate` (analogies restricted to the 30k most frequent words, WordSim-353), whose figures
# equal gensim's evaluate_word_analogies / evaluate_word_pairs exactly (benchmarks/vectors/) and take seconds, not minutes.
# fastText 0.9.2 (Debian `fasttext`, through ../shared/bench/anchor_fasttext.py: -minn 0 -maxn 0 -bucket 0 -loss ns) joins
# with TOOLS="embeddings gensim fasttext" (its skip-gram takes about ten minutes a run here).
# Usage: [TOOLS="embeddings gensim"] [OUT=results.jsonl] bash benchmarks/word2vec/run.sh [REPS] [CONFIGS]   e.g.  bash benchmarks/word2vec/run.sh 3 "sg cbow"
# Appends one JSON line per run to benchmarks/results/word2vec.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/anchors.sh python3-gensim fasttext
reps="${1:-1}"; configs="${2:-sg cbow}"; tools="${TOOLS:-embeddings gensim}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
zcat ../shared/data/corpus/en.txt.gz > "$work/en.txt"
words=$(wc -w < "$work/en.txt")
# The CLI is built into the work folder, so that rebuilding the tree during a long run cannot change the binary.
dotnet build samples/Embeddings.Cli -c Release -v q -nologo -o "$work/cli" >/dev/null
cli="dotnet $work/cli/embeddings.dll"
out="${OUT:-benchmarks/results/word2vec.jsonl}"
for rep in $(seq 1 "$reps"); do
  for cfg in $configs; do
    if [ "$cfg" = sg ]; then sg=1; alpha=0.025; model=skipgram; else sg=0; alpha=0.05; model=cbow; fi
    common="--dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 5"
    evaluate() {
      $cli evaluate --vectors "$1" --analogies ../shared/data/eval/questions-words.txt \
        --similarity ../shared/data/eval/wordsim353.tsv --restrict-vocab 30000 --json
    }
    for tool in $tools; do
      case $tool in
        embeddings)
          /usr/bin/time -v $cli train --input "$work/en.txt" --output "$work/ours.txt" --format text --model $model --alpha $alpha \
            $common --threads 2 --seed $rep --json > "$work/run.json" 2> "$work/run.time"
          vectors="$work/ours.txt" ;;
        gensim)
          /usr/bin/time -v /usr/bin/python3 ../shared/bench/anchor_gensim.py --corpus "$work/en.txt" --sg $sg --alpha $alpha --mode iterable \
            --workers 2 $common --seed $rep --out-vec "$work/gensim.txt" --out-json "$work/run.json" > /dev/null 2> "$work/run.time"
          vectors="$work/gensim.txt" ;;
        fasttext)
          # The wrapper runs /usr/bin/time itself and puts peak RSS in its JSON.
          (cd ../shared/bench && /usr/bin/python3 anchor_fasttext.py --mode $model --corpus "$work/en.txt" --corpus-words "$words" \
            --prefix "$work/ft" --alpha $alpha --threads 2 --out-json "$work/run.json" > /dev/null)
          cp "$work/ft.gnutime" "$work/run.time"
          vectors="$work/ft.vec" ;;
        *) echo "unknown tool $tool" >&2; exit 2 ;;
      esac
      rss=$(grep "Maximum resident" "$work/run.time" | awk '{print $6}')
      echo "{\"tool\":\"$tool\",\"config\":\"$cfg\",\"rep\":$rep,\"peak_rss_kb\":$rss,\"run\":$(cat "$work/run.json"),\"eval\":$(evaluate "$vectors")}" | tee -a "$out"
    done
  done
done
