#!/usr/bin/env bash
# Training time and F1 of the MLP and bidirectional-GRU classifiers on the tweets split beside ML.NET's FeaturizeText +
# SdcaMaximumEntropy, interleaved per seed (order reversed on even seeds), at 2 threads: fine-tuned pretrained vectors
# with the dense and the lazy embedding update (--embedding-updates), frozen vectors (--freeze), and optionally a
# baseline CLI (BASE=folder of a published `embeddings.dll`, e.g. of an older commit) fine-tuned dense, for A/B.
# Usage: WORK=dir VECTORS=sg.vec [BASE=dir] [SEEDS="1 2 3"] [RUNS="mlnet;mlp ours;gru ours"] bash benchmarks/classification/train-speed.sh
#   RUNS (';'-separated) picks some of the runs below, e.g. the default settings beside ML.NET only.
#   WORK must hold tweets/train.txt and tweets/test.txt (run.sh makes them: SETS=tweets FAMILIES= run.sh), and gets cli/
#   and mlnet/ built into it as run.sh builds them. VECTORS: skip-gram vectors trained on the training part's text
#   (`embeddings train -i text -o sg.vec --format text --dim 100 --epochs 10 --min-count 2 --seed 1`, 11,976 words).
# Appends one JSON line per run to $OUT (default benchmarks/results/classification-train-speed.jsonl): wall and CPU
# seconds of the whole `classify train` command (ML.NET: its own Fit time, and its process's CPU), the test F1 of label
# 1 from `classify test --json`, the validation F1 of label 1 (the 10 % held out; only these choose settings), load1,
# and the model file's SHA-256 prefix (equal hashes = bit-identical training).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${WORK:?WORK=folder with tweets/train.txt}; vectors=${VECTORS:?VECTORS=pretrained vectors}
out=$(realpath -m "${OUT:-benchmarks/results/classification-train-speed.jsonl}")
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
[ -f "$work/cli/embeddings.dll" ] || dotnet publish samples/Embeddings.Cli -c Release -r "$rid" --self-contained false -v q -nologo -o "$work/cli" >/dev/null
[ -f "$work/mlnet/MlNetBaseline.dll" ] || dotnet build benchmarks/classification/MlNetBaseline -c Release -v q -nologo -o "$work/mlnet" >/dev/null
train=$work/tweets/train.txt; test=$work/tweets/test.txt; r=$work/speed; mkdir -p "$r"
mlp="--model mlp --vectors $vectors --pooling mean-max --hidden 128 --activation relu --dropout 0.2 --optimizer adamw --epochs 8 --validation 0.1 --positive-label 1"
gru="--model gru --vectors $vectors --hidden 64 --bidirectional --pooling max --max-length 40 --epochs 5 --validation 0.1 --positive-label 1"
commit=$(git rev-parse --short HEAD)
for seed in ${SEEDS:-1 2 3}; do
  runs=(mlnet "mlp ours" "mlp ours --embedding-updates lazy" "mlp ours --freeze" "gru ours" "gru ours --embedding-updates lazy" "gru ours --freeze")
  [ -z "${BASE:-}" ] || runs+=("mlp base" "gru base")
  [ -z "${RUNS:-}" ] || IFS=';' read -r -a runs <<< "$RUNS"
  [ $((seed % 2)) = 1 ] || mapfile -t runs < <(printf '%s\n' "${runs[@]}" | tac)
  for run in "${runs[@]}"; do
    load=$(cut -d' ' -f1 /proc/loadavg)
    if [ "$run" = mlnet ]; then
      /usr/bin/time -f '%e %U %S' -o "$r/time" dotnet "$work/mlnet/MlNetBaseline.dll" --train "$train" --test "$test" --seed "$seed" --threads 2 --positive 1 > "$r/mlnet.json"
      python3 - "$seed" "$load" "$(cat "$r/time")" "$r/mlnet.json" >> "$out" <<'PY'
import json, sys
seed, load, t, j = sys.argv[1:]
wall, user, system = map(float, t.split()); m = json.load(open(j))
print(json.dumps({"set": "tweets", "tool": "mlnet", "family": None, "options": "", "seed": int(seed), "threads": 2, "load1": float(load),
                  "train_seconds": m["train_seconds"], "process_seconds": wall, "cpu_seconds": user + system, "test_f1": m["f1"], "test_accuracy": m["accuracy"]}))
PY
    else
      read -r family side extra <<< "$run"
      cli=$work/cli; [ "$side" = ours ] || cli=$BASE
      case $family in mlp) options=$mlp ;; gru) options=$gru ;; esac
      # shellcheck disable=SC2086
      /usr/bin/time -f '%e %U %S' -o "$r/time" dotnet "$cli/embeddings.dll" classify train --input "$train" --output "$r/model" \
        $options ${extra:-} --threads 2 --seed "$seed" --json > "$r/train.json"
      dotnet "$cli/embeddings.dll" classify test --model "$r/model" --input "$test" --json > "$r/test.json"
      python3 - "$family" "$side" "${extra:-}" "$seed" "$load" "$(cat "$r/time")" "$(sha256sum "$r/model" | cut -c1-16)" "$r/train.json" "$r/test.json" "$commit" >> "$out" <<'PY'
import json, sys
family, side, extra, seed, load, t, sha, train, test, commit = sys.argv[1:]
wall, user, system = map(float, t.split()); tr = json.load(open(train)); te = json.load(open(test))
print(json.dumps({"set": "tweets", "tool": "embeddings" if side == "ours" else "embeddings-base", "commit": commit if side == "ours" else None,
                  "family": family, "options": extra, "seed": int(seed), "threads": 2, "load1": float(load),
                  "train_seconds": wall, "cpu_seconds": user + system, "test_f1": [l for l in te["labels"] if l["label"] == "1"][0]["f1"],
                  "test_accuracy": te["accuracy"], "validation_f1": tr.get("validation_positive_f1"), "best_epoch": tr["best_epoch"], "model_sha256": sha}))
PY
      rm -f "$r/model"
    fi
    tail -1 "$out"
  done
done
