#!/usr/bin/env python3
"""gensim reference figures for the WordVectors query and evaluation bars (issue 3).

Run with Debian's interpreter (python3-gensim is installed for it):

    /usr/bin/python3 benchmarks/vectors/gensim_queries.py --out /tmp/gensim-queries.json

Prints (and with --out writes) one JSON object:

- analogies: KeyedVectors.evaluate_word_analogies on questions-words.txt, case-insensitive, for each
  --restrict value (gensim's default 300000, and 30000 as ../shared/bench/eval_vectors.py uses): total
  accuracy, correct/attempted, per-section [correct, attempted].
- word_pairs: evaluate_word_pairs on wordsim353.tsv and simlex999.txt (tab, case-insensitive, restrict 300000):
  Pearson r and p, Spearman rho and p, OOV percent.
- query_words: --queries words drawn with numpy.random.default_rng(--seed).choice(--top-words, replace=False)
  from the most frequent words; most_similar / most_similar_cosmul: their top-10 lists.
- analogy_queries: as many (a, b, c) triples drawn the same way (after the words) from the same range;
  analogy_most_similar / analogy_cosmul: top-10 lists of most_similar(positive=[b, c], negative=[a]) and
  most_similar_cosmul(positive=[b, c], negative=[a]).
- throughput: most_similar(word, topn=10), one query at a time, over the query words repeated --repeat times;
  --runs runs (queries/s each, and the median). BLAS threads are fixed with OPENBLAS_NUM_THREADS and
  OMP_NUM_THREADS (--blas-threads, default 2) before numpy loads.

With --throughput-only it skips everything but drawing the query words and the throughput runs (see
run_throughput.sh, which alternates both sides because the machine is shared).

The C# side (benchmarks/Embeddings.Benchmarks/VectorQueries.cs, subcommand `queries`) reads this JSON, computes
the same with Embeddings.Core and compares.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared"))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vectors", default=os.path.join(SHARED, "bench", "results", "sg_vectors.txt.gz"))
    ap.add_argument("--eval-dir", default=os.path.join(SHARED, "data", "eval"))
    ap.add_argument("--restrict", default="300000,30000", help="comma-separated restrict_vocab values for the analogies")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--top-words", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=5, help="passes over the query words per throughput run")
    ap.add_argument("--blas-threads", type=int, default=2)
    ap.add_argument("--skip-analogies", action="store_true")
    ap.add_argument("--throughput-only", action="store_true",
                    help="only draw the query words and measure throughput (for run_throughput.sh)")
    ap.add_argument("--out")
    return ap.parse_args()


def main():
    a = parse_args()
    # Must happen before numpy (and so OpenBLAS) is loaded.
    os.environ["OPENBLAS_NUM_THREADS"] = str(a.blas_threads)
    os.environ["OMP_NUM_THREADS"] = str(a.blas_threads)

    import json
    import logging
    import statistics
    import time

    import gensim
    import numpy as np
    import scipy
    from gensim.models import KeyedVectors

    logging.basicConfig(level=logging.WARNING)
    res = {"gensim": gensim.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
           "vectors_path": a.vectors, "blas_threads": a.blas_threads}
    try:
        import threadpoolctl
        res["blas"] = [{k: d.get(k) for k in ("internal_api", "version", "num_threads", "architecture")}
                       for d in threadpoolctl.threadpool_info()]
    except Exception as e:  # pragma: no cover
        res["blas"] = str(e)

    t0 = time.perf_counter()
    kv = KeyedVectors.load_word2vec_format(a.vectors, binary=False)
    res["load_s"] = time.perf_counter() - t0
    res["count"], res["dim"] = len(kv), kv.vector_size

    # 1. Analogies.
    res["analogies"] = {}
    if not (a.skip_analogies or a.throughput_only):
        for restrict in [int(x) for x in a.restrict.split(",") if x]:
            t0 = time.perf_counter()
            score, sections = kv.evaluate_word_analogies(os.path.join(a.eval_dir, "questions-words.txt"),
                                                         restrict_vocab=restrict, case_insensitive=True)
            elapsed = time.perf_counter() - t0
            per = {}
            for s in sections:
                per[s["section"]] = [len(s["correct"]), len(s["correct"]) + len(s["incorrect"])]
            total = per.pop("Total accuracy")
            res["analogies"][str(restrict)] = {"accuracy": score, "correct": total[0], "attempted": total[1],
                                               "sections": per, "seconds": elapsed}

    # 2. Word pairs.
    res["word_pairs"] = {}
    for name, fname in () if a.throughput_only else (("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt")):
        pearson, spearman, oov = kv.evaluate_word_pairs(os.path.join(a.eval_dir, fname), delimiter="\t",
                                                        case_insensitive=True)
        res["word_pairs"][name] = {"pearson": float(pearson[0]), "pearson_p": float(pearson[1]),
                                   "spearman": float(spearman[0]), "spearman_p": float(spearman[1]),
                                   "oov_pct": float(oov)}

    # 3. Top-10 lists.
    rng = np.random.default_rng(a.seed)
    top = min(a.top_words, len(kv))
    words = [kv.index_to_key[i] for i in rng.choice(top, size=a.queries, replace=False)]
    triples = [[kv.index_to_key[i] for i in rng.choice(top, size=3, replace=False)] for _ in range(a.queries)]
    res["top_words"], res["seed"] = top, a.seed
    res["query_words"] = words
    for key in ("most_similar", "most_similar_cosmul", "analogy_most_similar", "analogy_cosmul"):
        res[key] = []
    res["analogy_queries"] = triples
    if not a.throughput_only:
        lists(kv, words, triples, res)

    # 4. Throughput: single queries, top-10.
    stream = words * a.repeat
    kv.most_similar(stream[0], topn=10)  # warm-up (norms)
    qps = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        for q in stream:
            kv.most_similar(q, topn=10)
        qps.append(len(stream) / (time.perf_counter() - t0))
    res["throughput"] = {"queries_per_run": len(stream), "runs_qps": qps, "median_qps": statistics.median(qps),
                         "loadavg_1min": os.getloadavg()[0]}

    text = json.dumps(res)
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(json.dumps({k: v for k, v in res.items() if k not in (
        "query_words", "most_similar", "most_similar_cosmul", "analogy_queries", "analogy_most_similar", "analogy_cosmul")},
        indent=1))
    return 0


def lists(kv, words, triples, res):
    """The top-10 lists of the four query kinds."""
    res["most_similar"] = [[[w, float(s)] for w, s in kv.most_similar(q, topn=10)] for q in words]
    res["most_similar_cosmul"] = [[[w, float(s)] for w, s in kv.most_similar_cosmul(positive=[q], topn=10)] for q in words]
    res["analogy_most_similar"] = [[[w, float(s)] for w, s in kv.most_similar(positive=[b, c], negative=[x], topn=10)]
                                   for x, b, c in triples]
    res["analogy_cosmul"] = [[[w, float(s)] for w, s in kv.most_similar_cosmul(positive=[b, c], negative=[x], topn=10)]
                             for x, b, c in triples]


if __name__ == "__main__":
    sys.exit(main())
