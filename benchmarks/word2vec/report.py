#!/usr/bin/env python3
"""Medians of benchmarks/results/word2vec.jsonl (written by run.sh): training seconds, speed ratio, peak RSS, quality.
Usage: python3 benchmarks/word2vec/report.py [benchmarks/results/word2vec.jsonl]"""
import json
import statistics
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/word2vec.jsonl"
rows = [json.loads(line) for line in open(path) if line.startswith("{")]
print("| config | tool | runs | train s (median) | × gensim | peak RSS MiB | analogy acc (30k) | WordSim-353 ρ (30k) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for config in ("sg", "cbow"):
    medians = {}
    for tool in ("gensim", "embeddings"):
        runs = [r for r in rows if r["config"] == config and r["tool"] == tool]
        if not runs:
            continue
        seconds = statistics.median(r["run"].get("train_seconds", r["run"].get("train_s")) for r in runs)
        medians[tool] = seconds
        print(f"| {config} | {tool} | {len(runs)} | {seconds:.1f} | "
              f"{medians['gensim'] / seconds if 'gensim' in medians else float('nan'):.2f} | "
              f"{statistics.median(r['peak_rss_kb'] for r in runs) / 1024:.0f} | "
              f"{statistics.median(r['eval']['analogy_accuracy'] for r in runs):.4f} | "
              f"{statistics.median(r['eval']['spearman'] for r in runs):.4f} |")
