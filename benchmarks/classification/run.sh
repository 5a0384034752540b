#!/usr/bin/env bash
# Text classification side by side: fastText 0.9.2 (`/usr/bin/fasttext supervised`, Debian `fasttext`), the library's
# classifier through `embeddings classify` (every family), and ML.NET's FeaturizeText + SdcaMaximumEntropy
# (benchmarks/classification/MlNetBaseline), on the same fastText-format files and at 2 threads:
#   tweets      the lab's tweets (hate-speech label 1, 7 %), the lab's preprocessing, stratified 80/20, seed 1 (split-tweets.py)
#   quijote     Don Quijote's paragraphs labelled Part I / Part II, stratified 80/20, seed 1 (make-quijote.py)
#   throughput  the shared corpus, 11.3 M tokens, synthetic labels (make-throughput.py): speed only, train and predict
#               on the same file
# Settings (both tools, named as fastText names them): dim 100, epoch 25, lr 0.5, wordNgrams 2, loss softmax,
# bucket 2,000,000 and minCount 1 (fastText's defaults, which the fastText-style family shares); throughput: epoch 5,
# lr 0.1. Each seed runs fastText, then ours, then ML.NET, so that a disturbance hits all alike. Accuracy and F1 are
# scored by score.py from each tool's `predict` output (one `__label__X` a line), the same code for every tool; ours also
# records `embeddings classify test --json`. While the CLI has no `classify` command, or a family is
# refused, our side is skipped with a notice.
# Figures: train_seconds and predict_seconds are wall-clock of the whole command (loading the data or the model
# included); tokens_per_second = training tokens (words after the labels) × epochs / train_seconds; lines_per_second =
# predicted lines / predict_seconds; load1 is the machine's 1-minute load average when the run started (times taken
# with other work running are not speed figures; quality figures do not depend on load).
# Usage: [SETS="tweets quijote throughput"] [SEEDS="1 2 3"] [FAMILIES="fasttext mlp rnn gru lstm"] [MLNET=1]
#        [OPTIONS_MLP="…"] (extra `classify train` options of a family, e.g. OPTIONS_LSTM="--epochs 5")
#        [VECTORS=F [FREEZE=1]] (pretrained vectors for the mlp and recurrent families) [WORK=dir, kept]
#        [OUT=benchmarks/results/classification.jsonl] bash benchmarks/classification/run.sh
# Appends one JSON line per run to $OUT and prints the medians per set and tool.
set -euo pipefail
cd "$(dirname "$0")/../.."
source benchmarks/anchors.sh fasttext
here=benchmarks/classification
sets="${SETS:-tweets quijote throughput}"; seeds="${SEEDS:-1 2 3}"; families="${FAMILIES:-fasttext mlp rnn gru lstm}"
out="${OUT:-benchmarks/results/classification.jsonl}"
if [ -n "${WORK:-}" ]; then work="$WORK"; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
fasttext_version=$(dpkg-query -W -f='${Version}' fasttext)

# Built into the work folder, so that rebuilding the tree during a run cannot change the binaries.
# The CLI is published for this machine's runtime, so it is precompiled (ReadyToRun, see Embeddings.Cli.csproj): a
# short `classify predict` is then not dominated by the JIT, as an installed native tool such as fasttext is not either.
rid=$(dotnet --info | awk '/^ *RID:/ {print $2; exit}')
[ -f "$work/cli/embeddings.dll" ] || dotnet publish samples/Embeddings.Cli -c Release -r "$rid" --self-contained false \
  -v q -nologo -o "$work/cli" >/dev/null
[ "${MLNET:-1}" = 0 ] || [ -f "$work/mlnet/MlNetBaseline.dll" ] \
  || dotnet build $here/MlNetBaseline -c Release -v q -nologo -o "$work/mlnet" >/dev/null
export EMBEDDINGS="dotnet $work/cli/embeddings.dll"
cli="$EMBEDDINGS"
ours=1
# Not by --help's exit code alone: System.CommandLine answers `embeddings classify --help` with the root's help and exit 0
# when no such command exists; a real command's help shows its own usage line.
if ! $cli classify --help 2>/dev/null | grep -q "embeddings classify"; then
  ours=0; echo "bench: notice: this CLI has no 'classify' command yet; our side is skipped (fastText and ML.NET run)" >&2
fi

for set in $sets; do
  case $set in
    tweets) [ -f "$work/tweets/train.txt" ] || python3 $here/split-tweets.py "$work" ;;
    quijote) [ -f "$work/quijote/train.txt" ] || python3 $here/make-quijote.py "$work" ;;
    throughput) [ -f "$work/throughput/train.txt" ] || python3 $here/make-throughput.py "$work" ;;
    *) echo "unknown set $set" >&2; exit 2 ;;
  esac
done

w="$work/run"; mkdir -p "$w"
runs="$work/runs.jsonl"; : > "$runs"
# record TOOL FAMILY SEED TRAIN_TIME_FILE PREDICT_TIME_FILE SCORE_JSON [EXTRA_JSON]: one result line.
record() {
  local train_s rss predict_s
  read -r train_s rss < "$4"; read -r predict_s _ < "$5"
  python3 - "$set" "$1" "$2" "$3" "$train_s" "$rss" "$predict_s" "$6" "${7:-null}" "$tokens" "$lines" "$epochs" "$lr" \
    "$ngrams" "$load1" "$fasttext_version" <<'PY' | tee -a "$runs"
import json, sys
(s, tool, family, seed, train_s, rss, predict_s, score, extra, tokens, lines, epochs, lr, ngrams, load1, ftv) = sys.argv[1:]
train_s, predict_s = float(train_s), float(predict_s)
settings = ({"trainer": "SdcaMaximumEntropy", "features": "FeaturizeText defaults"} if tool == "mlnet" else
            {"dim": 100, "epoch": int(epochs), "lr": float(lr), "wordNgrams": int(ngrams), "loss": "softmax"})
row = {"set": s, "tool": tool, "family": family or None, "seed": int(seed), "threads": 2, "settings": settings,
       "train_seconds": train_s, "peak_rss_kb": int(rss), "train_tokens": int(tokens),
       # ML.NET's SDCA runs until it converges, not a set number of epochs: its tokens/s is left out.
       "tokens_per_second": None if tool == "mlnet" else int(tokens) * int(epochs) / train_s, "predict_seconds": predict_s, "predict_lines": int(lines),
       "lines_per_second": int(lines) / predict_s, "load1": float(load1), "score": json.loads(score),
       "classify_test": json.loads(extra)}
if tool == "fasttext":
    row["fasttext_version"] = ftv
print(json.dumps(row))
PY
}

for seed in $seeds; do
  for set in $sets; do
    case $set in
      tweets) train=$work/tweets/train.txt; test=$work/tweets/test.txt; positive=1; epochs=25; lr=0.5; ngrams=2 ;;
      quijote) train=$work/quijote/train.txt; test=$work/quijote/test.txt; positive=2; epochs=25; lr=0.5; ngrams=2 ;;
      throughput) train=$work/throughput/train.txt; test=$work/throughput/train.txt; positive=0; epochs=5; lr=0.1; ngrams=2 ;;
    esac
    cut -d' ' -f2- "$test" > "$w/text.txt"
    tokens=$(awk '{n += NF - 1} END {print n}' "$train"); lines=$(wc -l < "$w/text.txt")

    load1=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %M' -o "$w/train.time" /usr/bin/fasttext supervised -input "$train" -output "$w/ft" -dim 100 \
      -epoch $epochs -lr $lr -wordNgrams $ngrams -loss softmax -bucket 2000000 -minCount 1 -thread 2 -seed "$seed" -verbose 0
    /usr/bin/time -f '%e %M' -o "$w/predict.time" /usr/bin/fasttext predict "$w/ft.bin" "$w/text.txt" > "$w/predicted.txt"
    record fasttext "" "$seed" "$w/train.time" "$w/predict.time" "$(python3 $here/score.py "$test" "$w/predicted.txt" --positive $positive)"
    rm -f "$w/ft.bin" "$w/ft.vec"

    if [ "$ours" = 1 ]; then
      for family in $families; do
        if [ "$family" = fasttext ]; then
          options="--epochs $epochs --lr $lr --word-ngrams $ngrams --loss softmax"
        else
          name="OPTIONS_${family^^}"; options="${!name:-}"
          [ -z "${VECTORS:-}" ] || options="$options --vectors $VECTORS"
          [ "${FREEZE:-0}" = 0 ] || options="$options --freeze"
        fi
        load1=$(cut -d' ' -f1 /proc/loadavg)
        # shellcheck disable=SC2086
        if ! /usr/bin/time -f '%e %M' -o "$w/train.time" $cli classify train --input "$train" --output "$w/ours.model" \
            --model "$family" --dim 100 $options --threads 2 --seed "$seed" > "$w/train.log" 2>&1; then
          echo "bench: notice: $set, family $family, seed $seed: 'classify train' failed, skipped: $(grep '^error:' "$w/train.log" | head -1)" >&2
          continue
        fi
        /usr/bin/time -f '%e %M' -o "$w/predict.time" $cli classify predict --model "$w/ours.model" < "$w/text.txt" > "$w/predicted.txt"
        $cli classify test --model "$w/ours.model" --input "$test" --json > "$w/test.json"
        record embeddings "$family" "$seed" "$w/train.time" "$w/predict.time" \
          "$(python3 $here/score.py "$test" "$w/predicted.txt" --positive $positive)" "$(cat "$w/test.json")"
        rm -f "$w/ours.model"
      done
    fi

    if [ "${MLNET:-1}" = 1 ] && [ "$set" != throughput ]; then
      load1=$(cut -d' ' -f1 /proc/loadavg)
      /usr/bin/time -f '%e %M' -o "$w/mlnet.time" dotnet "$work/mlnet/MlNetBaseline.dll" --train "$train" --test "$test" \
        --seed "$seed" --threads 2 --positive $positive > "$w/mlnet.json"
      # ML.NET times its own training and prediction (the process also loads both files); its peak RSS is the process's.
      python3 - "$w/mlnet.json" "$w/mlnet.time" "$w/train.time" "$w/predict.time" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
rss = open(sys.argv[2]).read().split()[1]
open(sys.argv[3], "w").write(f"{run['train_seconds']} {rss}\n")
open(sys.argv[4], "w").write(f"{run['predict_seconds']} {rss}\n")
PY
      record mlnet "" "$seed" "$w/train.time" "$w/predict.time" "$(cat "$w/mlnet.json")"
    fi
  done
done

cat "$runs" >> "$out"
python3 $here/summary.py "$runs"
