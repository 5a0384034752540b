#!/usr/bin/python3
"""Writes english-nltk-3.8.tsv: word<TAB>NLTK 3.8 stem, for EnglishStemmerTests.

Run with Debian's /usr/bin/python3 (python3-nltk 3.8, python3-snowballstemmer 2.2.0):
    /usr/bin/python3 make_english_nltk_fixture.py ../shared/data > tests/Embeddings.Text.Tests/Stemming/Fixtures/english-nltk-3.8.tsv

Words: the distinct tokens of tweets/train.csv.gz (tweet column, lower-cased, re.sub(r"[^a-z@# ]", ""),
split on spaces) and of corpus/en.txt.gz. Kept: every word where NLTK differs from snowballstemmer 2.2.0,
a fixed list of probes for NLTK's quirks, 1,000 words with suffixes whose regions NLTK tracks its own way,
and 1,000 other words; the samples are seeded, so the output is reproducible.
"""
import csv, gzip, random, re, sys

import snowballstemmer
from nltk.stem.snowball import SnowballStemmer

data = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data"
nltk = SnowballStemmer("english")
snowball = snowballstemmer.stemmer("english")

words = set()
with gzip.open(f"{data}/tweets/train.csv.gz", "rt", encoding="utf-8", newline="") as f:
    for row in csv.DictReader(f):
        words.update(t for t in re.sub(r"[^a-z@# ]", "", row["tweet"].lower()).split(" ") if t)
with gzip.open(f"{data}/corpus/en.txt.gz", "rt", encoding="utf-8") as f:
    for line in f:
        words.update(line.split())

probes = [
    "stylization", "inning's", "innings'", "herrings'", "outing's", "proceeds'", "exceeding's",
    "dying's", "dyings", "skies'", "sky's", "news'", "#skating", "sprated", "streated",
    "\u2019tis", "don\u2019t", "it\u2019s", "o\u2019clock", "\u2018quoted\u2019", "\u201bodd", "'yelling",
    "''s", "'s'", "yay", "ayyy", "yyy", "generalization", "communization", "arsenalization",
    "caf\u00e9s", "na\u00efvely", "se\u00f1ores",
]

quirk_endings = (
    "ization", "izer", "izers", "ational", "ation", "ations", "ator", "ators", "alism", "aliti", "alli",
    "ousli", "ousness", "iveness", "iviti", "biliti", "bli", "icate", "iciti", "ical", "eed", "eedly",
    "ated", "ating", "bled", "bling", "ized", "izing", "'s", "'",
)

different = {w for w in words if nltk.stem(w) != snowball.stemWord(w)}
rest = sorted(words - different)
rng = random.Random(20260501)
quirky = [w for w in rest if w.endswith(quirk_endings)]
picked = set(rng.sample(quirky, min(1000, len(quirky))))
others = [w for w in rest if w not in picked]
picked.update(rng.sample(others, 1000))

out = sys.stdout
for w in sorted(different | set(probes) | picked):
    out.write(f"{w}\t{nltk.stem(w)}\n")
print(f"{len(words)} words, {len(different)} differ from snowballstemmer 2.2.0", file=sys.stderr)
