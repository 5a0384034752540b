#!/usr/bin/env python3
"""Times the NLTK lab pipeline with the very functions of ../shared/bench/preprocess_anchor.py, so that the anchor
and Embeddings.Text are measured side by side in one session on the same inputs.

Prints one JSON line per run: {"data", "rep", "docs", "in_tokens", "out_tokens", "time_s", "in_tokens_per_s"}.
Run with Debian's interpreter: /usr/bin/python3 benchmarks/preprocess/nltk_timing.py [--reps 3] [--max-lines N]
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "bench"))
sys.path.insert(0, BENCH)
import preprocess_anchor as anchor  # noqa: E402  (the anchor's own load/run functions)

# The anchor resolves its data paths for the rig's original layout; point them at ../shared/data.
DATA = os.path.normpath(os.path.join(BENCH, "..", "data"))
anchor.STOP_SRC = os.path.join(DATA, "stopwords", "english.txt")
anchor.TWEETS = os.path.join(DATA, "tweets", "train.csv.gz")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--max-lines", type=int, default=1_000_000)
    ap.add_argument("--data", choices=["tweets", "corpus", "both"], default="both")
    a = ap.parse_args()

    from nltk.stem.snowball import SnowballStemmer
    stop = frozenset(anchor.nltk_stopwords()[0])
    stem = SnowballStemmer("english").stem
    datasets = {}
    if a.data in ("tweets", "both"):
        datasets["tweets"] = anchor.load_tweets(anchor.TWEETS)
    if a.data in ("corpus", "both"):
        datasets["corpus"] = anchor.load_corpus(os.path.join(DATA, "corpus", "en.txt.gz"), a.max_lines)
    for name, docs in datasets.items():
        in_tokens = sum(len(d.split()) for d in docs)
        for rep in range(1, a.reps + 1):
            dt, n_out, _ = anchor.run(docs, stop, stem)
            print(json.dumps({"tool": "nltk", "data": name, "threads": 1, "rep": rep, "docs": len(docs),
                              "in_tokens": in_tokens, "out_tokens": n_out, "time_s": dt,
                              "in_tokens_per_s": in_tokens / dt}), flush=True)


if __name__ == "__main__":
    main()
