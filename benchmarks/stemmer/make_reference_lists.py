#!/usr/bin/python3
"""Writes the stemmer reference lists that EnglishStemmerTests and SpanishStemmerTests check against.

Each list is gzip'd UTF-8 text: a header line, then one word a line as
    word<TAB>snowballstemmer 2.2.0 stem<TAB>NLTK 3.8 stem
sorted by code point, LF endings. The gzip header carries no name or time, so the bytes are reproducible.

Needs Debian 12 packages (the versions are checked):
    apt-get install -y python3-snowballstemmer python3-nltk wamerican-large wspanish
Run from the repository root:
    /usr/bin/python3 benchmarks/stemmer/make_reference_lists.py tests/Embeddings.Text.Tests/Stemming/Fixtures

English words: every entry of /usr/share/dict/american-english-large, lower-cased (so "AA's" gives "aa's"),
and, for a seeded sample of 2,000 entries holding an apostrophe, the same word written with each of the
typographic apostrophes NLTK maps to ' (U+2019, U+2018, U+201B).

Spanish words: every entry of /usr/share/dict/spanish, the same entry without its acute accents (as text
typed without accents has it), and forms made by rule from its verbs, so that the unaccented -acion/-ucion
endings (handled differently by Snowball 2.2, NLTK 3.8 and Snowball 3) are well covered: for a seeded sample
of 2,000 -ar verbs and for every -uir verb, the noun in -ación/-ución with and without the accent
(abandonar -> abandonación, abandonacion; contribuir -> contribución, contribucion). Such a noun may not be
attested; it has the shape of one, which is what the stemmers look at. Also made by rule: the first person
plural imperfect of every -er/-ir entry (comer -> comíamos, comiamos), where NLTK's verb suffix list has
"éamos" in place of "íamos", and, for a seeded sample of 2,000 verbs, the infinitive and the gerund with an
attached pronoun (comerlo, abandonándose, abandonandose), which step 0 removes.
"""
import gzip
import random
import sys
from importlib import metadata

import nltk
import snowballstemmer
from nltk.stem.snowball import SnowballStemmer

ENGLISH_DICT = "/usr/share/dict/american-english-large"
SPANISH_DICT = "/usr/share/dict/spanish"
TYPOGRAPHIC_APOSTROPHES = ("\u2019", "\u2018", "\u201b")
ACUTE = str.maketrans("áéíóú", "aeiou")
PRONOUNS = ("me", "se", "sela", "selo", "selas", "selos", "la", "le", "lo", "las", "les", "los", "nos")


def check_versions():
    found = {"snowballstemmer": metadata.version("snowballstemmer"), "nltk": nltk.__version__}
    wanted = {"snowballstemmer": "2.2.0", "nltk": "3.8"}
    if found != wanted:
        sys.exit(f"need {wanted}, found {found}")


def read_words(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def english_words():
    entries = sorted({w.lower() for w in read_words(ENGLISH_DICT)})
    with_apostrophe = [w for w in entries if "'" in w]
    words = set(entries)
    for w in random.Random(13).sample(with_apostrophe, 2000):
        words.update(w.replace("'", a) for a in TYPOGRAPHIC_APOSTROPHES)
    return words


def spanish_words():
    entries = sorted({w.lower() for w in read_words(SPANISH_DICT)})
    words = set(entries)
    words.update(w.translate(ACUTE) for w in entries)
    ar_verbs = [w for w in entries if w.endswith("ar") and len(w) > 4]
    nouns = [v[:-2] + "ación" for v in random.Random(13).sample(ar_verbs, 2000)]
    nouns += [w[:-3] + "ución" for w in entries if w.endswith("uir") and len(w) > 5]
    er_ir_verbs = [w for w in entries if w.endswith(("er", "ir")) and len(w) > 4]
    imperfects = [v[:-2] + "íamos" for v in er_ir_verbs]
    rng = random.Random(15)
    with_pronoun = []
    for v in rng.sample(ar_verbs + er_ir_verbs, 2000):
        pronoun = rng.choice(PRONOUNS)
        gerund = v[:-2] + ("ándo" if v.endswith("ar") else "iéndo")
        with_pronoun += [v + pronoun, gerund + pronoun]
    for made in (nouns, imperfects, with_pronoun):
        words.update(made)
        words.update(w.translate(ACUTE) for w in made)
    return words


def write_list(path, language, words):
    snowball = snowballstemmer.stemmer(language)
    nltk_stemmer = SnowballStemmer(language)
    differ = 0
    lines = ["word\tsnowballstemmer-2.2.0\tnltk-3.8\n"]
    for w in sorted(words):
        a, b = snowball.stemWord(w), nltk_stemmer.stem(w)
        differ += a != b
        lines.append(f"{w}\t{a}\t{b}\n")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
        f.write("".join(lines).encode("utf-8"))
    return len(words), differ


def main():
    check_versions()
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    english = english_words()
    spanish = spanish_words()
    unaccented_nouns = sum(1 for w in spanish if w.endswith(("acion", "ucion")))
    for language, words in (("english", english), ("spanish", spanish)):
        count, differ = write_list(f"{out}/{language}-reference.tsv.gz", language, words)
        print(f"{language}: {count} words, {differ} where snowballstemmer 2.2.0 and NLTK 3.8 differ", file=sys.stderr)
    print(f"spanish: {unaccented_nouns} words end in unaccented -acion/-ucion", file=sys.stderr)


if __name__ == "__main__":
    main()
