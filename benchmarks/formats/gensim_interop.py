#!/usr/bin/python3
"""gensim side of the vector-format interop and speed checks (issue 3).

Run with Debian's python3-gensim (/usr/bin/python3). Subcommands:

  write-gensim --source F --out DIR
      Load F (word2vec text, .gz allowed) with gensim and write DIR/gensim.txt and DIR/gensim.bin with
      save_word2vec_format, plus the ground truth DIR/gensim.words (UTF-8, one word per line) and DIR/gensim.f32
      (the float32 matrix, little-endian, row-major). Our loader must read both files back to exactly that.

  check-ours --dir DIR
      Load the files our code wrote (ours.txt word2vec text, ours.bin binary, ours.vec fastText .vec,
      ours.glove.txt GloVe) with gensim and compare each with our ground truth (ours.words, ours.f32):
      words identical; binary values bit-exact; text values within 1e-6 (counting the exact ones too).
      Prints one JSON object; exit status 1 if a check fails.

  time-server --file F
      Times gensim's load_word2vec_format(F, binary=True): prints "ready" after one warm-up load, then answers
      each "run" line on stdin with the seconds one load took, so that a caller can interleave its own timings.

  fixtures --out DIR
      Writes the small files the C# tests load (tests/Embeddings.Core.Tests/Formats/Data): a vocabulary with
      non-ASCII words and awkward values, saved by gensim as text and binary, word2vec.c-style binary (newline after
      each vector), and the ground truth. Deterministic (seeded).
"""

import argparse
import json
import sys
import time

import numpy as np
from gensim.models import KeyedVectors


def write_truth(kv, prefix):
    with open(prefix + ".words", "wb") as f:
        for word in kv.index_to_key:
            f.write(word.encode("utf-8") + b"\n")
    with open(prefix + ".f32", "wb") as f:
        f.write(np.ascontiguousarray(kv.vectors, dtype="<f4").tobytes())


def read_truth(prefix):
    with open(prefix + ".words", "rb") as f:
        words = f.read().decode("utf-8").split("\n")[:-1]
    with open(prefix + ".f32", "rb") as f:
        values = np.frombuffer(f.read(), dtype="<f4")
    return words, values.reshape(len(words), -1) if words else values.reshape(0, 0)


def cmd_write_gensim(args):
    kv = KeyedVectors.load_word2vec_format(args.source, binary=False)
    kv.save_word2vec_format(f"{args.out}/gensim.txt", binary=False)
    kv.save_word2vec_format(f"{args.out}/gensim.bin", binary=True)
    write_truth(kv, f"{args.out}/gensim")
    print(json.dumps({"words": len(kv), "dimensions": kv.vector_size}))
    return 0


def compare(kv, words, values, exact):
    result = {"words": len(kv), "dimensions": kv.vector_size}
    result["words_equal"] = kv.index_to_key == words
    if kv.vectors.shape != values.shape:
        result["shape_equal"] = False
        result["ok"] = False
        return result
    got = kv.vectors.astype("<f4")
    if exact:
        result["bit_exact"] = bool(np.array_equal(got.view("<u4"), values.view("<u4")))
        result["ok"] = result["words_equal"] and result["bit_exact"]
    else:
        diff = float(np.max(np.abs(got - values))) if values.size else 0.0
        result["max_abs_diff"] = diff
        result["exact_values"] = int(np.sum(got.view("<u4") == values.view("<u4")))
        result["values"] = int(values.size)
        result["ok"] = result["words_equal"] and diff <= 1e-6
    return result


def cmd_check_ours(args):
    words, values = read_truth(f"{args.dir}/ours")
    checks = {
        "word2vec_binary": (dict(binary=True), "ours.bin", True),
        "word2vec_text": (dict(binary=False), "ours.txt", False),
        "fasttext_vec": (dict(binary=False), "ours.vec", False),
        "glove_text": (dict(binary=False, no_header=True), "ours.glove.txt", False),
    }
    report = {}
    for name, (kwargs, file, exact) in checks.items():
        kv = KeyedVectors.load_word2vec_format(f"{args.dir}/{file}", **kwargs)
        report[name] = compare(kv, words, values, exact)
    report["ok"] = all(r["ok"] for r in report.values())
    print(json.dumps(report))
    return 0 if report["ok"] else 1


def cmd_time_server(args):
    KeyedVectors.load_word2vec_format(args.file, binary=True)
    print("ready", flush=True)
    for line in sys.stdin:
        if line.strip() != "run":
            break
        start = time.perf_counter()
        kv = KeyedVectors.load_word2vec_format(args.file, binary=True)
        elapsed = time.perf_counter() - start
        assert len(kv) > 0
        print(f"{elapsed:.6f}", flush=True)
    return 0


def cmd_fixtures(args):
    rng = np.random.default_rng(20240601)
    words = ["the", "king", "queen", "é", "straße", "日本", "naïve", "emoji😀", "x", "a-b", "1999"]
    vectors = rng.standard_normal((len(words), 7)).astype(np.float32)
    # Awkward values: negative zero, subnormal, extremes, exactly representable, long decimals.
    vectors[0, 0] = -0.0
    vectors[1, 1] = np.float32(1e-40)
    vectors[2, 2] = np.finfo(np.float32).max
    vectors[3, 3] = -np.finfo(np.float32).max
    vectors[4, 4] = np.finfo(np.float32).tiny
    vectors[5, 5] = 0.1
    vectors[6, 6] = 1e-5
    vectors[7, 0] = 123456789.0
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    kv.save_word2vec_format(f"{args.out}/gensim-small.txt", binary=False)
    kv.save_word2vec_format(f"{args.out}/gensim-small.bin", binary=True)
    write_truth(kv, f"{args.out}/gensim-small")
    # word2vec.c writes a newline after every vector (fprintf(fo, "\n") in word2vec.c's save loop).
    with open(f"{args.out}/word2vec-c-small.bin", "wb") as f:
        f.write(f"{len(words)} {vectors.shape[1]}\n".encode())
        for word, vector in zip(words, vectors):
            f.write(word.encode("utf-8") + b" " + vector.astype("<f4").tobytes() + b"\n")
    print(json.dumps({"words": len(words), "dimensions": int(vectors.shape[1])}))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("write-gensim")
    p.add_argument("--source", required=True)
    p.add_argument("--out", required=True)
    p = sub.add_parser("check-ours")
    p.add_argument("--dir", required=True)
    p = sub.add_parser("time-server")
    p.add_argument("--file", required=True)
    p = sub.add_parser("fixtures")
    p.add_argument("--out", required=True)
    args = parser.parse_args()
    return {
        "write-gensim": cmd_write_gensim,
        "check-ours": cmd_check_ours,
        "time-server": cmd_time_server,
        "fixtures": cmd_fixtures,
    }[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
