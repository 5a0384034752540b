#!/usr/bin/env bash
# Hogwild scaling and FLOP rate of `embeddings train` (skip-gram, the benchmark settings, 1 epoch) at 1 and 2 threads,
# interleaved with the machine's measured FMA peak (fma_peak.c) at the same thread counts, REPS times (default 3).
# Prints one line per run; the FLOP rate is 6·d flops per (context, target) pair (dot product, error and gradient
# updates: 2d each) times the pairs of the epoch, which `pairs` counts by replaying subsampling and reduced windows.
set -euo pipefail
cd "$(dirname "$0")/../.."
reps="${1:-3}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
zcat ../shared/data/corpus/en.txt.gz > "$work/en.txt"
gcc -O2 -mavx2 -mfma -pthread benchmarks/word2vec/fma_peak.c -o "$work/fma_peak"
dotnet build samples/Embeddings.Cli -c Release -v q -nologo -o "$work/cli" >/dev/null
for rep in $(seq 1 "$reps"); do
  for threads in 1 2; do
    peak=$("$work/fma_peak" "$threads" | awk '{print $3}')
    dotnet "$work/cli/embeddings.dll" train --input "$work/en.txt" --output "$work/v.bin" --model skipgram --dim 100 --window 5 \
      --negative 5 --min-count 5 --sample 1e-3 --epochs 1 --threads "$threads" --seed "$rep" --json > "$work/run.json"
    echo "{\"rep\":$rep,\"threads\":$threads,\"fma_peak_gflops\":$peak,\"run\":$(cat "$work/run.json")}"
  done
done
