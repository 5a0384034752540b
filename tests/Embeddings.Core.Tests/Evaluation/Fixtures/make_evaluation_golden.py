#!/usr/bin/env python3
"""Golden figures for WordVectorsEvaluationTests (the tests over the real evaluation files).

Builds small synthetic vectors whose values come from an integer hash (so C# and Python produce the same float32
values bit for bit), evaluates them with gensim's evaluate_word_analogies / evaluate_word_pairs on the files in
../shared/data/eval, and prints the figures that the C# test hard-codes. Run with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/Embeddings.Core.Tests/Evaluation/Fixtures/make_evaluation_golden.py

The vocabulary (kept in step with SyntheticVectors in the test):
- every distinct word of questions-words.txt, wordsim353.tsv and simlex999.txt, lower-cased, in order of first
  appearance, except every 7th (so that some questions and pairs are out of vocabulary);
- then, for every 5th of those kept, its capitalised form (a later case variant: the first variant must win).
Vectors have 20 dimensions (not a multiple of the SIMD width, so the masked tail is exercised).
"""
import os

import numpy as np
from gensim.models import KeyedVectors

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.normpath(os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "data", "eval"))
DIM = 20
RESTRICT = 1500


def value(i, k):
    h = (i * 2654435761 + k * 40503 + 1) & 0xFFFFFFFF
    h ^= h >> 15
    h = (h * 2246822519) & 0xFFFFFFFF
    h ^= h >> 13
    return h / 4294967296.0 * 2.0 - 1.0


def vocabulary():
    seen, order = set(), []

    def add(word):
        w = word.lower()
        if w not in seen:
            seen.add(w)
            order.append(w)

    with open(os.path.join(EVAL, "questions-words.txt"), encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith(":"):
                for w in line.split():
                    add(w)
    for name in ("wordsim353.tsv", "simlex999.txt"):
        with open(os.path.join(EVAL, name), encoding="utf-8") as fh:
            for line in fh:
                if not line.startswith("#"):
                    a, b, _ = line.split("\t")
                    add(a)
                    add(b)
    kept = [w for n, w in enumerate(order) if n % 7 != 6]
    variants = [w.capitalize() for n, w in enumerate(kept) if n % 5 == 0 and w.capitalize() != w]
    return kept + variants


def main():
    words = vocabulary()
    vectors = np.array([[value(i, k) for k in range(DIM)] for i in range(len(words))], dtype=np.float32)
    kv = KeyedVectors(DIM)
    kv.add_vectors(words, vectors)
    print(f"// {len(words)} words, {DIM} dimensions, first {words[:3]}, last {words[-2:]}")
    for restrict in (RESTRICT, 300000):
        score, sections = kv.evaluate_word_analogies(os.path.join(EVAL, "questions-words.txt"), restrict_vocab=restrict)
        total = sections[-1]
        print(f"// analogies restrict={restrict}: score={score!r} correct={len(total['correct'])} "
              f"incorrect={len(total['incorrect'])}")
        print("//   sections: " + ", ".join(f"{s['section']}={len(s['correct'])}/{len(s['correct']) + len(s['incorrect'])}"
                                         for s in sections[:-1]))
    for name in ("wordsim353.tsv", "simlex999.txt"):
        for dummy in (False, True):
            pearson, spearman, oov = kv.evaluate_word_pairs(os.path.join(EVAL, name), dummy4unknown=dummy)
            print(f"// {name} dummy4unknown={dummy}: pearson={pearson[0]!r} p={pearson[1]!r} "
                  f"spearman={spearman[0]!r} p={spearman[1]!r} oov={oov!r}")


if __name__ == "__main__":
    main()
