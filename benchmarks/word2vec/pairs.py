"""Counts the (context, target) pairs of one skip-gram epoch on a corpus, for the FLOP rate of scaling.sh: words with
count >= min_count, word2vec.c's subsampling (keep probability (sqrt(c / (s·N)) + 1) · s·N / c), reduced windows
(reach uniform in 1..window), 1 + negative targets per context. Subsampling is drawn, so the count is an expectation
up to a fraction of a percent.  Usage: python3 pairs.py CORPUS [window 5] [negative 5] [sample 1e-3] [min_count 5]"""
import random
import sys
from collections import Counter

path = sys.argv[1]
window, negative, sample, min_count = (int(sys.argv[2]) if len(sys.argv) > 2 else 5, int(sys.argv[3]) if len(sys.argv) > 3 else 5,
                                       float(sys.argv[4]) if len(sys.argv) > 4 else 1e-3, int(sys.argv[5]) if len(sys.argv) > 5 else 5)
with open(path, encoding="utf-8") as f:
    lines = [line.split() for line in f]
counts = Counter(w for line in lines for w in line)
counts = {w: c for w, c in counts.items() if c >= min_count}
total = sum(counts.values())
threshold = sample * total
keep = {w: min(1.0, ((c / threshold) ** 0.5 + 1) * threshold / c) for w, c in counts.items()}
rng = random.Random(1)
kept_words = contexts = 0
for line in lines:
    n = sum(1 for w in line if w in keep and rng.random() < keep[w])
    kept_words += n
    for j in range(n):
        reach = rng.randint(1, window)
        contexts += min(j, reach) + min(n - 1 - j, reach)
print(f'{{"corpus_words": {sum(len(l) for l in lines)}, "kept_words": {kept_words}, "contexts": {contexts}, '
      f'"pairs": {contexts * (1 + negative)}}}')
