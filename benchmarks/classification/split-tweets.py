#!/usr/bin/env python3
"""The tweets split of the classification benchmark: ../shared/data/tweets/train.csv.gz (id,label,tweet) → the tweets
lab's preprocessing (samples/TweetsLab: lowercase → keep [a-z@# ] → whitespace tokens → NLTK's English stopwords →
NLTK 3.8's Snowball stemmer), run through `embeddings preprocess` → stratified 80/20 split, seed 1 → WORK/tweets/
train.txt and test.txt in fastText's format (`__label__0 tokens…`).

Rows whose preprocessing leaves no token (11 of 31,962) are dropped before the split: fastText skips such lines when
training and testing, and an empty line has no text to classify.

Usage: python3 benchmarks/classification/split-tweets.py WORK [--seed 1] [--test-share 0.2]
"""
import csv
import gzip
import os

import labelled

arguments, folder = labelled.arguments_and_folder("tweets", __doc__)
source = labelled.shared_data("tweets", "train.csv.gz")
with gzip.open(source, "rt", encoding="utf-8", newline="") as file:
    labels = [row["label"] for row in csv.DictReader(file)]
tokens = labelled.preprocess(labelled.cli(arguments.work), source, os.path.join(folder, "preprocessed.txt"),
                             ["--csv-column", "tweet", "--lowercase", "--keep", "a-z@# ", "--stopwords", "english",
                              "--stem", "english", "--snowball", "nltk"])
if len(tokens) != len(labels):
    raise SystemExit(f"preprocess wrote {len(tokens)} lines for {len(labels)} rows; the labels would not line up")
examples = [(label, text) for label, text in zip(labels, tokens) if text.strip()]
labelled.split_and_write(arguments, folder, examples, f"tweets ({len(labels) - len(examples)} empty rows dropped)")
