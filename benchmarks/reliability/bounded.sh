#!/usr/bin/env bash
# Bounded reads (issue 15): every command that reads text is given a 1 GB file of zeros (sparse: it costs no disk) and a
# 200 MB single line without whitespace or newline, and must exit quickly with a clear message or succeed, with peak
# RSS ≤ 512 MB. The corpus commands are also given a 200 MB single line of words (like text8, 51 M tokens): there the
# line is split at whitespace and the run is a normal training run on a 200 MB corpus (ppmi and lm-train hold the
# corpus as int32 ids, 4 bytes a kept word, so their memory grows with the corpus, not with the line: about 200 MB
# here). Prints one table row per run: command, input, exit code, seconds, peak RSS (from /usr/bin/time -v) and the
# first line of standard error.
# Usage: benchmarks/reliability/bounded.sh [path/to/embeddings]   (default: builds samples/Embeddings.Cli in Release)
set -euo pipefail
cd "$(dirname "$0")/../.."
. benchmarks/reliability/common.sh

zeros="$work/zeros-1g.bin"
truncate -s 1G "$zeros"

# 200 MB of words from a 1,000-word vocabulary (Zipf-like: word i appears about 1/i as often), one line, no newline.
line="$work/one-line-200m.txt"
python3 - "$line" <<'PY'
import sys
words = [f"w{i}" for i in range(1000)]
weights = [1.0 / (i + 1) for i in range(1000)]
total = sum(weights)
block = []
# A deterministic 64 KB block (no randomness: each word repeated in proportion to its weight), written until 200 MB.
for w, p in zip(words, weights):
    block.extend([w] * max(1, round(p / total * 12000)))
chunk = (" ".join(block) + " ").encode()
with open(sys.argv[1], "wb") as f:
    written = 0
    while written < 200_000_000:
        f.write(chunk)
        written += len(chunk)
PY

# Small inputs the commands need besides the file under test: a corpus and vectors of the same words.
corpus="$work/small.txt"
python3 -c "
import itertools
print('\n'.join(' '.join(f'w{(i * 7 + j) % 50}' for j in range(12)) for i in range(400)))" >"$corpus"
vectors="$work/small.vec"
python3 -c "
print('\n'.join('w%d ' % i + ' '.join('%.3f' % (((i * 31 + d * 17) % 97) / 97 - 0.5) for d in range(16)) for i in range(1000)))" >"$vectors"

printf '%-44s %-10s %4s %8s %9s  %s\n' command input exit seconds "RSS MiB" "first line of stderr"
run() { # label input-name command...
  local label=$1 name=$2; shift 2
  local err="$work/stderr" timing="$work/time"
  local start end code
  start=$(date +%s.%N)
  set +e
  /usr/bin/time -v -o "$timing" timeout 600 "$@" >/dev/null 2>"$err"
  code=$?
  set -e
  end=$(date +%s.%N)
  local rss
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$timing")
  printf '%-44s %-10s %4s %8.1f %9s  %s\n' "$label" "$name" "$code" "$(echo "$end - $start" | bc)" "$rss" "$(sed "s|$work/||g" "$err" | head -c 160 | head -n 1)"
}

corpus_commands() { # input name
  run "preprocess -i F" "$2" "$cli" preprocess -i "$1" -o "$work/out.txt"
  run "vocab -i F" "$2" "$cli" vocab -i "$1" -o "$work/vocab.txt"
  run "train -i F --epochs 1 --threads 2" "$2" "$cli" train -i "$1" -o "$work/out.bin" --epochs 1 --threads 2 --dim 50
  run "ppmi -i F --dim 16" "$2" "$cli" ppmi -i "$1" -o "$work/ppmi.bin" --dim 16
}

for input in "$zeros" "$nospace"; do
  name=$([ "$input" = "$zeros" ] && echo "1G-zeros" || echo "200M-x")
  corpus_commands "$input" "$name"
  run "lm-train -i F --vectors V --epochs 1" "$name" "$cli" lm-train -i "$input" --vectors "$vectors" -o "$work/lm.bin" --epochs 1 --hidden 16
  run "evaluate --similarity F" "$name" "$cli" evaluate --vectors "$vectors" --similarity "$input"
  run "evaluate --analogies F" "$name" "$cli" evaluate --vectors "$vectors" --analogies "$input"
  run "preprocess --stopwords F" "$name" "$cli" preprocess -i "$corpus" -o "$work/out.txt" --stopwords "$input"
  run "similar --vectors F --word w1" "$name" "$cli" similar --vectors "$input" --word w1
done
corpus_commands "$line" "200M-words"
# A tiny model for one epoch (a sequence every 1,000 ids): the run measures holding and reading the corpus, not training.
run "lm-train -i F --vectors V --epochs 1" "200M-words" "$cli" lm-train -i "$line" --vectors "$vectors" -o "$work/lm.bin" --epochs 1 --hidden 8 --stride 1000
