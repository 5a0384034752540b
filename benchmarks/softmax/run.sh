#!/usr/bin/env bash
# The lab's full-softmax word2vec on the tweets, side by side: `Embeddings.Benchmarks softmax` (our engine) and
# torch_lab.py (PyTorch, Debian's python3-torch), both on 2 threads, 3 epochs, Embedding(V,100) + Linear(100,V),
# cross-entropy, AdamW(lr 1e-3, weight decay 0.01), batch 256, ±3 windows, min count 11. The token file is the lab's
# preprocessing (benchmarks/preprocess/lab_parity.sh). Prints one JSON object per side; appends them to
# benchmarks/results/softmax.jsonl.
# Usage: bash benchmarks/softmax/run.sh [EPOCHS]    (installs python3-torch and OpenBLAS through benchmarks/anchors.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/anchors.sh python3-torch
epochs="${1:-3}"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build samples/Embeddings.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/Embeddings.Benchmarks -c Release -v q -nologo >/dev/null
cli="dotnet samples/Embeddings.Cli/bin/Release/net10.0/embeddings.dll"
$cli preprocess --input ../shared/data/tweets/train.csv.gz --csv-column tweet --lowercase --keep "a-z@# " --tokenizer whitespace \
  --stopwords english --stem english --snowball nltk --output "$work/tweets.tok" >/dev/null
out=benchmarks/results/softmax.jsonl
dotnet benchmarks/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll softmax "$work/tweets.tok" --epochs "$epochs" --threads 2 | tee -a "$out"
/usr/bin/python3 benchmarks/softmax/torch_lab.py "$work/tweets.tok" --epochs "$epochs" --threads 2 | tee -a "$out"
