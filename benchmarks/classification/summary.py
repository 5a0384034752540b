#!/usr/bin/env python3
"""Medians over seeds of the classification benchmark's runs (run.sh's JSON lines), per set and tool: accuracy, F1 of
the set's positive label, macro F1, train seconds, tokens/s, predict seconds, lines/s; then our fastText-style family
against fastText (accuracy difference in points, speed ratios: higher = we are faster).

Usage: python3 benchmarks/classification/summary.py [benchmarks/results/classification.jsonl]
"""
import json
import statistics
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results/classification.jsonl"
rows = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
groups = {}
for row in rows:
    name = row["tool"] if not row.get("family") else f"{row['tool']}:{row['family']}"
    groups.setdefault((row["set"], name), []).append(row)


def median(runs, pick):
    """The median of the runs that have the figure (ML.NET's rows have no macro F1 and no tokens/s), else NaN."""
    values = [value for value in map(pick, runs) if value is not None]
    return statistics.median(values) if values else float("nan")


print(f"{'set':<11} {'tool':<22} {'runs':>4} {'accuracy':>8} {'F1 pos':>7} {'macro F1':>8} {'train s':>8} "
      f"{'tokens/s':>10} {'predict s':>9} {'lines/s':>9} {'load1':>5}")
medians = {}
for (set_name, name), runs in sorted(groups.items()):
    m = {key: median(runs, pick) for key, pick in {
        "accuracy": lambda r: r["score"]["accuracy"], "f1": lambda r: r["score"]["f1"],
        "macro_f1": lambda r: r["score"].get("macro_f1"), "train": lambda r: r["train_seconds"],
        "tokens": lambda r: r["tokens_per_second"], "predict": lambda r: r["predict_seconds"],
        "lines": lambda r: r["lines_per_second"], "load1": lambda r: r["load1"]}.items()}
    medians[(set_name, name)] = m
    print(f"{set_name:<11} {name:<22} {len(runs):>4} {m['accuracy']:>8.4f} {m['f1']:>7.4f} {m['macro_f1']:>8.4f} "
          f"{m['train']:>8.2f} {m['tokens']:>10,.0f} {m['predict']:>9.2f} {m['lines']:>9,.0f} {m['load1']:>5.1f}")
for (set_name, name), m in sorted(medians.items()):
    anchor = medians.get((set_name, "fasttext"))
    if name == "embeddings:fasttext" and anchor:
        print(f"{set_name}: fastText-style − fastText: accuracy {100 * (m['accuracy'] - anchor['accuracy']):+.2f} pt, "
              f"F1 {m['f1'] - anchor['f1']:+.4f}; training tokens/s ×{m['tokens'] / anchor['tokens']:.2f}, "
              f"prediction lines/s ×{m['lines'] / anchor['lines']:.2f}")
