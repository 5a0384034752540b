#!/usr/bin/env python3
"""Scores predictions the same way for every tool: the expected labels are the first `__label__X` of each line of a
fastText-format file, the predictions the first `__label__X` of each line of a `predict` output (an empty line, a
prediction of nothing, counts as wrong). Prints JSON: examples, accuracy, macro_f1, and precision/recall/f1 of
--positive.

Usage: python3 score.py EXPECTED PREDICTED [--positive 1]
"""
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("expected")
parser.add_argument("predicted")
parser.add_argument("--positive", default="1")
arguments = parser.parse_args()


def first_label(line):
    for word in line.split():
        if word.startswith("__label__"):
            return word[len("__label__"):]
    return None


with open(arguments.expected, encoding="utf-8") as file:
    expected = [first_label(line) for line in file]
with open(arguments.predicted, encoding="utf-8") as file:
    predicted = [first_label(line) for line in file]
if len(expected) != len(predicted):
    raise SystemExit(f"{arguments.predicted}: {len(predicted)} predictions for {len(expected)} examples")


def f1_of(label):
    tp = sum(1 for e, p in zip(expected, predicted) if e == label and p == label)
    fp = sum(1 for e, p in zip(expected, predicted) if e != label and p == label)
    fn = sum(1 for e, p in zip(expected, predicted) if e == label and p != label)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


labels = sorted(set(expected))
precision, recall, f1 = f1_of(arguments.positive)
print(json.dumps({
    "examples": len(expected),
    "accuracy": sum(e == p for e, p in zip(expected, predicted)) / len(expected),
    "macro_f1": sum(f1_of(label)[2] for label in labels) / len(labels),
    "positive_label": arguments.positive, "precision": precision, "recall": recall, "f1": f1,
}))
