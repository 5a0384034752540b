#!/usr/bin/env bash
# Lab parity: `embeddings preprocess` + `embeddings vocab --min-count 11` on the tweets against the same pipeline in
# Python with Debian's python3-nltk (lab_vocab_nltk.py). Prints the diff (empty when the vocabularies are equal).
set -euo pipefail
cd "$(dirname "$0")/../.."
tweets=../shared/data/tweets/train.csv.gz
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build samples/Embeddings.Cli -c Release -v q -nologo >/dev/null
cli="dotnet samples/Embeddings.Cli/bin/Release/net10.0/embeddings.dll"
$cli preprocess --input "$tweets" --csv-column tweet --lowercase --keep "a-z@# " --tokenizer whitespace \
  --stopwords english --stem english --snowball nltk --output "$work/tweets.tok"
$cli vocab --input "$work/tweets.tok" --min-count 11 > "$work/dotnet.vocab"
/usr/bin/python3 benchmarks/preprocess/lab_vocab_nltk.py --min-count 11 "$tweets" > "$work/python.vocab"
echo "dotnet: $(tail -1 "$work/dotnet.vocab")   python: $(tail -1 "$work/python.vocab")"
if diff "$work/python.vocab" "$work/dotnet.vocab" > "$work/diff"; then
  echo "lab parity: identical ($(($(wc -l < "$work/python.vocab") - 1)) words with their counts)"
else
  echo "lab parity: DIFFERENT"; head -40 "$work/diff"; exit 1
fi
