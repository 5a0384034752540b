#!/usr/bin/env bash
# The PC3 language model beside ../shared/bench/rnn_anchor.py (PyTorch 1.13, CPU, 2 threads), on the same id stream.
#   bash benchmarks/rnn/run.sh [REPS]            REPS interleaved runs (default 3)
# Env: MB_SEQS  sequences of the mini-batch epoch (0 = the whole corpus, 11.1 M; default 0 for the first run and
#               2,000,000 for the others, to keep the session short), OUT (JSON lines, default benchmarks/results/rnn.jsonl),
#      WORK (scratch folder, default /tmp/embeddings-rnn-bench), FIRST_REP (the first rep's number, default 1, to add
#      reps to an existing OUT).
# The anchor script writes beside itself, and ../shared is read-only, so it runs from a copy in WORK.
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/anchors.sh python3-sklearn python3-torch
reps="${1:-3}"
work="${WORK:-/tmp/embeddings-rnn-bench}"
out="${OUT:-benchmarks/results/rnn.jsonl}"
bench="$(cd ../shared/bench && pwd)"
py=/usr/bin/python3

mkdir -p "$work/bench/results" "$work/bench/work" "$work/data"
cp "$bench"/*.py "$work/bench/"
ln -sfn "$(cd "$bench/$(cat "$bench/corpus")" && pwd)" "$work/bench/corpus"
cp "$bench/results/sg_vectors.txt.gz" "$work/bench/results/"
[ -f "$work/bench/work/kmeans1500.npz" ] || $py benchmarks/rnn/make_kmeans.py "$work/bench" "$work/bench/work/kmeans1500.npz"
[ -f "$work/data/ids.i32" ] || $py benchmarks/rnn/export_anchor_data.py --kmeans "$work/bench/work/kmeans1500.npz" \
  --corpus "$work/bench/corpus/en.txt.gz" --out "$work/data"

dotnet build benchmarks/Embeddings.Benchmarks -c Release -v q >/dev/null
ours="dotnet benchmarks/Embeddings.Benchmarks/bin/Release/net10.0/Embeddings.Benchmarks.dll"
first="${FIRST_REP:-1}"
for rep in $(seq "$first" $((first + reps - 1))); do
  mb="${MB_SEQS:-$([ "$rep" = 1 ] && echo 0 || echo 2000000)}"
  echo "rnn: rep $rep, mini-batch over ${mb/#0/all} sequences" >&2
  $py "$work/bench/rnn_anchor.py" --mb-seqs "$mb" >/dev/null 2>"$work/anchor-$rep.log"
  $py -c "import json,sys; r=json.load(open(sys.argv[1])); r.update(tool='pytorch', rep=int(sys.argv[2])); print(json.dumps(r))" \
    "$work/bench/results/rnn-anchor.json" "$rep" >> "$out"
  mbarg=$([ "$mb" = 0 ] && echo 0 || echo "$mb")
  $ours rnn "$work/data" --runs full,minibatch --mb-seqs "$mbarg" --threads 2 \
    | $py -c "import json,sys; [print(json.dumps({**json.loads(l), 'rep': int(sys.argv[1])})) for l in sys.stdin]" "$rep" >> "$out"
done
$py benchmarks/rnn/report.py "$out"
