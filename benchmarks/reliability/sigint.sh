#!/usr/bin/env bash
# Ctrl+C inside a long record (issue 15): each corpus command is started on a 200 MB single line without whitespace or
# newline and sent SIGINT 1 s later; it must exit 130 within about a second and leave no output behind. Prints one row
# per command: exit code, seconds from the signal to the exit, the first line of standard error (warnings skipped) and
# the files left in the output folder.
# Usage: benchmarks/reliability/sigint.sh [path/to/embeddings]   (default: builds samples/Embeddings.Cli in Release)
set -euo pipefail
# Job control: without it the background job of a script starts with SIGINT ignored (as POSIX shells do), and the
# runtime keeps it ignored, which would measure the shell, not the command.
set -m
cd "$(dirname "$0")/../.."
. benchmarks/reliability/common.sh
vectors="$work/small.vec"
printf 'w1 0.1 0.2\nw2 0.3 0.4\n' >"$vectors"

printf '%-10s %4s %14s  %-40s %s\n' command exit "s after SIGINT" "first line of stderr" "left in the output folder"
for command in preprocess vocab train ppmi lm-train; do
  out="$work/out-$command"
  mkdir "$out"
  case $command in
    preprocess) args=(preprocess -i "$nospace" -o "$out/out.txt") ;;
    vocab) args=(vocab -i "$nospace" -o "$out/vocab.txt") ;;
    train) args=(train -i "$nospace" -o "$out/out.bin" --epochs 1 --threads 2 --dim 50) ;;
    ppmi) args=(ppmi -i "$nospace" -o "$out/ppmi.bin" --dim 16) ;;
    lm-train) args=(lm-train -i "$nospace" --vectors "$vectors" -o "$out/lm.bin" --epochs 1 --hidden 8) ;;
  esac
  "$cli" "${args[@]}" >/dev/null 2>"$work/stderr" &
  pid=$!
  sleep 1
  start=$(date +%s.%N)
  kill -INT "$pid"
  set +e
  wait "$pid"
  code=$?
  set -e
  end=$(date +%s.%N)
  printf '%-10s %4s %14.2f  %-40s %s\n' "$command" "$code" "$(echo "$end - $start" | bc)" \
    "$(grep -v '^warning' "$work/stderr" | head -n 1 | head -c 40)" "$(ls -A "$out" | tr '\n' ' ')"
done
