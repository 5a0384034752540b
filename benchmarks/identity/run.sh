#!/usr/bin/env bash
# Seeded, single-thread runs of every trainer on the embedded demo corpus, written in the native formats.
# Run it with the CLI of two commits and compare the folders (benchmarks/identity/compare.sh) to prove that a
# refactoring changed no bit of any result. Usage: run.sh CLI OUTDIR   (CLI: path of the built `embeddings`)
set -euo pipefail
cli="$1"; out="$2"
here="$(cd "$(dirname "$0")/../.." && pwd)"
mkdir -p "$out"
"$cli" preprocess -i "$here/samples/Embeddings.Cli/DemoData/quijote-i-viii.txt" --lowercase --tokenizer word \
  --threads 1 -o "$out/tokens.txt"
common=(--dim 16 --window 3 --min-count 3 --epochs 2 --threads 1 --seed 7 --format native)
"$cli" train -i "$out/tokens.txt" -o "$out/sg.emv" --model skipgram "${common[@]}" --save-model "$out/sg.model" \
  --checkpoint "$out/sg-checkpoints"
"$cli" train -i "$out/tokens.txt" -o "$out/cbow.emv" --model cbow "${common[@]}"
"$cli" train -i "$out/tokens.txt" -o "$out/softmax.emv" --model skipgram --objective softmax --batch 64 "${common[@]}"
"$cli" ppmi -i "$out/tokens.txt" -o "$out/ppmi.emv" --dim 16 --window 3 --min-count 3 --threads 1 --format native
"$cli" quantize --vectors "$out/sg.emv" -k 20 --seed 3 --threads 1 -o "$out/kmeans.emq"
"$cli" pq --vectors "$out/sg.emv" -m 4 --seed 3 --threads 1 --recall-queries 0 -o "$out/pq.emp"
"$cli" lm-train -i "$out/tokens.txt" --vectors "$out/sg.emv" --cell gru --hidden 8 --seq-len 4 --epochs 2 \
  --batch 64 --seed 5 --threads 1 --checkpoints "$out/lm-checkpoints" -o "$out/lm.emlm"
"$cli" lm-train -i "$out/tokens.txt" --quantized "$out/kmeans.emq" --cell lstm --hidden 8 --seq-len 4 --epochs 2 \
  --batch 64 --seed 5 --threads 1 -o "$out/qlm.emlm"
for f in sg cbow softmax ppmi; do "$cli" convert -i "$out/$f.emv" -o "$out/$f.txt" --format text; done
ls -la "$out" "$out"/*-checkpoints
