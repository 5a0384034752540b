#!/usr/bin/env python3
"""Medians of benchmarks/results/word2vec.jsonl (written by run.sh): training seconds, speed ratios, peak RSS, quality.
Ratios are the anchor's median training seconds over ours (higher = we are faster); words/s ratios are the same number.
Usage: python3 benchmarks/word2vec/report.py [benchmarks/results/word2vec.jsonl] [--since ISO-DATE-IGNORED]"""
import json
import statistics
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/word2vec.jsonl"
rows = [json.loads(line) for line in open(path) if line.startswith("{")]


def seconds(r):
    return r["run"].get("train_seconds", r["run"].get("train_s"))


print("| config | tool | runs | train s (median) | min–max | ours × faster | peak RSS MiB | analogy acc (30k) | WordSim-353 ρ (30k) |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for config in ("sg", "cbow"):
    ours = [seconds(r) for r in rows if r["config"] == config and r["tool"] == "embeddings"]
    ours_median = statistics.median(ours) if ours else float("nan")
    for tool in ("embeddings", "gensim", "fasttext"):
        runs = [r for r in rows if r["config"] == config and r["tool"] == tool]
        if not runs:
            continue
        times = [seconds(r) for r in runs]
        median = statistics.median(times)
        ratio = "" if tool == "embeddings" else f"{median / ours_median:.2f}"
        print(f"| {config} | {tool} | {len(runs)} | {median:.1f} | {min(times):.1f}–{max(times):.1f} | {ratio} | "
              f"{statistics.median(r['peak_rss_kb'] for r in runs) / 1024:.0f} | "
              f"{statistics.median(r['eval']['analogy_accuracy'] for r in runs):.4f} | "
              f"{statistics.median(r['eval']['spearman'] for r in runs):.4f} |")
