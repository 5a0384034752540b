#!/usr/bin/env python3
"""The tweets split of the classification benchmark: ../shared/data/tweets/train.csv.gz (id,label,tweet) → the tweets
lab's preprocessing (samples/TweetsLab: lowercase → keep [a-z@# ] → whitespace tokens → NLTK's English stopwords →
NLTK 3.8's Snowball stemmer), run through `embeddings preprocess` → stratified 80/20 split, seed 1 → WORK/tweets/
train.txt and test.txt in fastText's format (`__label__0 tokens…`).

Rows whose preprocessing leaves no token (11 of 31,962) are dropped before the split: fastText skips such lines when
training and testing, and an empty line has no text to classify.

Usage: python3 benchmarks/classification/split-tweets.py WORK [--seed 1] [--test-share 0.2]
"""
import argparse
import csv
import gzip
import os

import labelled

parser = argparse.ArgumentParser()
parser.add_argument("work")
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--test-share", type=float, default=0.2)
arguments = parser.parse_args()

source = os.path.join(labelled.REPOSITORY, "..", "shared", "data", "tweets", "train.csv.gz")
folder = os.path.join(arguments.work, "tweets")
os.makedirs(folder, exist_ok=True)
with gzip.open(source, "rt", encoding="utf-8", newline="") as file:
    labels = [row["label"] for row in csv.DictReader(file)]
tokens = labelled.preprocess(labelled.cli(arguments.work), source, os.path.join(folder, "preprocessed.txt"),
                             ["--csv-column", "tweet", "--lowercase", "--keep", "a-z@# ", "--stopwords", "english",
                              "--stem", "english", "--snowball", "nltk"])
if len(tokens) != len(labels):
    raise SystemExit(f"preprocess wrote {len(tokens)} lines for {len(labels)} rows; the labels would not line up")
examples = [(label, text) for label, text in zip(labels, tokens) if text.strip()]
training, test = labelled.stratified_split(examples, arguments.test_share, arguments.seed)
labelled.write_fasttext(os.path.join(folder, "train.txt"), training)
labelled.write_fasttext(os.path.join(folder, "test.txt"), test)
labelled.describe(f"tweets ({len(labels) - len(examples)} empty rows dropped)", training, test)
