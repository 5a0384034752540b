#!/usr/bin/env python3
"""The tweets lab's preprocessing in Python with Debian's python3-nltk, as the reference for lab parity.

Per tweet (column `tweet` of train.csv.gz, read with csv.DictReader):
    text   = re.sub(r"[^a-z@# ]", "", tweet.lower())
    tokens = [t for t in re.split(r" +", text) if len(t) and t not in stopwords.words("english")]
    stems  = [SnowballStemmer("english").stem(t) for t in tokens]
Vocabulary: words seen more than 10 times (count >= MIN_COUNT), printed as `word count` lines by count
descending, then word; `vocab_size N` last, the format of `embeddings vocab`.

With --stemmer snowballstemmer, the stems come from the snowballstemmer package (2.2.0 in Debian 12) instead of
NLTK: the reference for `--snowball 2.2`.

Run with Debian's interpreter:
    /usr/bin/python3 benchmarks/preprocess/lab_vocab_nltk.py [--min-count 11] [--stemmer nltk|snowballstemmer] [CSV_GZ]
"""
import argparse
import collections
import csv
import gzip
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data"))


def nltk_english_stopwords():
    """stopwords.words('english') through NLTK's reader; Debian ships no NLTK data, so read the shared copy."""
    from nltk.corpus.reader import WordListCorpusReader
    return WordListCorpusReader(os.path.join(SHARED, "stopwords"), ["english.txt"]).words("english.txt")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv", nargs="?", default=os.path.join(SHARED, "tweets", "train.csv.gz"))
    ap.add_argument("--min-count", type=int, default=11)
    ap.add_argument("--stemmer", choices=("nltk", "snowballstemmer"), default="nltk")
    a = ap.parse_args()

    stop = set(nltk_english_stopwords())
    if a.stemmer == "nltk":
        from nltk.stem.snowball import SnowballStemmer
        stem = SnowballStemmer("english").stem
    else:
        import snowballstemmer
        stem = snowballstemmer.stemmer("english").stemWord
    counts = collections.Counter()
    with gzip.open(a.csv, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            text = re.sub(r"[^a-z@# ]", "", row["tweet"].lower())
            counts.update(stem(t) for t in re.split(r" +", text) if len(t) and t not in stop)

    kept = sorted(((w, c) for w, c in counts.items() if c >= a.min_count), key=lambda wc: (-wc[1], wc[0]))
    out = sys.stdout
    for w, c in kept:
        out.write(f"{w} {c}\n")
    out.write(f"vocab_size {len(kept)}\n")


if __name__ == "__main__":
    main()
