#!/usr/bin/python3
"""Cross-check of fastText model loading (issue 17): gensim's load_facebook_vectors against the vectors we print.

Run with Debian's python3-gensim (/usr/bin/python3):

  /usr/bin/python3 benchmarks/subwords/crosscheck.py MODEL.bin [--words FILE] [--vocabulary N] [--unseen N]
                                                     [--tolerance 1e-5] [--ours embeddings|fasttext]

Words compared: those of FILE (one a line), or the model's first N vocabulary words (default 2000) and N unseen words
made from them (default 200: suffixes, doubled letters, accents dropped). gensim composes each word's vector (own row
and n-gram rows, or n-grams only for an unseen word); ours come from `embeddings print-vectors --vectors MODEL`
(fastText's print-word-vectors: words on standard input, `word v1 … vd` lines out). Prints the largest absolute
difference and how many values differ by more than the tolerance; exit status 1 when any does.

The `embeddings` CLI is $EMBEDDINGS if set (a command line), else built once into /tmp/embeddings-crosscheck-cli.

`--ours fasttext` compares gensim with `fasttext print-word-vectors` instead, which prints five significant digits, so
the tolerance is widened to half a unit of the fifth digit for those values. A word ours does not print counts as a
failure.

Measured on branch wt-ftfile (print-vectors reads a .bin through VectorInput.LoadForQueries): a Quijote skip-gram
(dim 20, 20,000 buckets) and the 2 M-bucket model below, 2,000 vocabulary and 200 unseen words each: largest
difference 2.5e-07, none beyond 1e-5.

Memory (the issue's bar: loading peaks at ≤ 1.2× the matrices): a skip-gram of dim 100 with 2 M buckets, `fasttext
skipgram -dim 100 -bucket 2000000 -minn 3 -maxn 6 -minCount 2` on the first 1.5 MB of ../shared/data/corpus/en.txt.gz
(13,392 words; matrices 805.4 + 5.4 MB, file 810.9 MB), then `echo the of king | /usr/bin/time -v embeddings
print-vectors --vectors big.bin`: maximum resident set 842,212 KB (1.06× the matrices; `fasttext print-word-vectors`
865,272 KB; gensim's load_facebook_vectors in this script 1,697,180 KB).

gensim does not read quantized .ftz files nor supervised models' labels; pass unsupervised .bin files.
"""

import argparse
import math
import os
import shlex
import subprocess
import sys
import unicodedata

import numpy as np
from gensim.models.fasttext import load_facebook_vectors

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def embeddings_cli():
    """The `embeddings` CLI as a command list: $EMBEDDINGS, else a build of samples/Embeddings.Cli."""
    if os.environ.get("EMBEDDINGS"):
        return shlex.split(os.environ["EMBEDDINGS"])
    out = "/tmp/embeddings-crosscheck-cli"
    dll = os.path.join(out, "embeddings.dll")
    if not os.path.exists(dll):
        subprocess.run(["dotnet", "build", os.path.join(REPOSITORY, "samples", "Embeddings.Cli"), "-c", "Release",
                        "-v", "q", "-nologo", "-o", out], check=True, stdout=subprocess.DEVNULL)
    return ["dotnet", dll]


def print_vectors(command, words):
    """Runs a print-word-vectors style command: words on standard input, `word v1 … vd` lines out, in order."""
    # Not checked: print-vectors exits 1 after printing the others when it names a word it has no vector for.
    result = subprocess.run(command, input="".join(w + "\n" for w in words), capture_output=True, text=True,
                            encoding="utf-8")
    rows = []
    for line in result.stdout.splitlines():
        fields = line.rstrip(" ").split(" ")
        rows.append((fields[0], np.array([float(v) for v in fields[1:]], dtype=np.float64)))
    return rows


def unseen_words(vocabulary, known, count):
    """Words the model never saw, built from its own: inflections, repeated letters, accent-less spellings."""
    made = []
    for word in vocabulary:
        plain = "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")
        for candidate in (word + "ito", word + "sss", word[:-1] + word[-1] * 3, plain + "s", "re" + word):
            if len(made) >= count:
                return made
            if candidate not in known and candidate not in made:
                made.append(candidate)
    return made


def print_tolerance(printed, tolerance):
    """fastText prints five significant digits: half a unit of the fifth, at least the tolerance."""
    magnitude = abs(printed)
    if magnitude == 0:
        return tolerance
    return max(tolerance, 0.5 * 10 ** (math.floor(math.log10(magnitude)) - 4) * 1.01)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--words", help="a file of words to compare, one a line")
    parser.add_argument("--vocabulary", type=int, default=2000, help="vocabulary words compared (default 2000)")
    parser.add_argument("--unseen", type=int, default=200, help="unseen words compared (default 200)")
    parser.add_argument("--tolerance", type=float, default=1e-5)
    parser.add_argument("--ours", choices=["embeddings", "fasttext"], help="whose print-vectors to compare with gensim")
    args = parser.parse_args()

    vectors = load_facebook_vectors(args.model)
    if args.words:
        with open(args.words, encoding="utf-8") as f:
            words = [line.strip() for line in f if line.strip()]
    else:
        vocabulary = [w for w in vectors.index_to_key if w != "</s>"][: args.vocabulary]
        words = vocabulary + unseen_words(vocabulary, vectors.key_to_index, args.unseen)

    ours = args.ours or "embeddings"
    command = (embeddings_cli() + ["print-vectors", "--vectors", args.model] if ours == "embeddings"
               else ["fasttext", "print-word-vectors", args.model])
    rows = print_vectors(command, words)
    missing = sorted(set(words) - {w for w, _ in rows})

    largest = 0.0
    beyond = 0
    known = sum(1 for w in words if w in vectors.key_to_index)
    for word, printed in rows:
        expected = vectors[word].astype(np.float64)  # gensim composes unseen words from their n-grams
        difference = np.abs(expected - printed)
        largest = max(largest, float(difference.max(initial=0.0)))
        if ours == "fasttext":
            limits = np.array([print_tolerance(v, args.tolerance) for v in printed])
        else:
            limits = np.full(printed.shape, args.tolerance)
        beyond += int((difference > limits).sum())

    print(f"{args.model}: {len(words)} words ({known} in the vocabulary, {len(words) - known} unseen), "
          f"{vectors.vector_size} dimensions; gensim against {ours}: largest difference {largest:.3g}, "
          f"{beyond} values beyond the tolerance ({args.tolerance:g}{', or fastText print precision' if ours == 'fasttext' else ''})"
          + (f"; {len(missing)} words not printed by {ours}, e.g. {missing[:5]}" if missing else ""))
    sys.exit(1 if beyond or missing else 0)


if __name__ == "__main__":
    main()
