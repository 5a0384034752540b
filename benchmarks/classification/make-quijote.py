#!/usr/bin/env python3
"""The second labelled set: Don Quijote's paragraphs labelled by the part they come from (Part I, 1605, or Part II,
1615), from ../shared/data/quijote/quijote.txt.gz. The task is real and not trivial: the same characters and style in
both, with what changes between them (the duke and duchess, Sancho's governorship, Sansón Carrasco, the published
Part I being talked about) carried by a minority of the words.

Part I is the text from its first chapter heading ("Capítulo primero") to the title of Part II ("Segunda parte del
ingenioso caballero…"; Part I's own four "partes" are of the "ingenioso hidalgo"); Part II
from its first chapter heading ("Capítulo Primero") to Project Gutenberg's end marker. Paragraphs (blank-line
separated, joined onto one line) that are chapter headings are dropped, since their numbering would not be text.
Preprocessing through `embeddings preprocess`: lowercase and the word tokenizer (accents kept); rows left with no token
are dropped. Stratified 80/20 split, seed 1 → WORK/quijote/train.txt and test.txt (`__label__1` / `__label__2`).

Usage: python3 benchmarks/classification/make-quijote.py WORK [--seed 1] [--test-share 0.2]
"""
import gzip
import os

import labelled

arguments, folder = labelled.arguments_and_folder("quijote", __doc__)
source = labelled.shared_data("quijote", "quijote.txt.gz")
with gzip.open(source, "rt", encoding="utf-8") as file:
    lines = [line.rstrip("\n").rstrip("\r") for line in file]

part, paragraphs, current = None, [], []
for line in lines + [""]:
    if line.startswith("Capítulo primero."):
        part = "1"
    elif line.startswith("Segunda parte del ingenioso caballero") and part == "1":
        part = None  # Part II's front matter (licences, dedication, prologue) until its first chapter
    elif line.startswith("Capítulo Primero.") and part is None and paragraphs:
        part = "2"
    elif line.startswith("*** END OF"):
        break
    if line.strip():
        current.append(line.strip())
        continue
    if current and part is not None and not current[0].startswith("Capítulo"):
        paragraphs.append((part, " ".join(current)))
    current = []

raw = os.path.join(folder, "paragraphs.txt")
with open(raw, "w", encoding="utf-8", newline="\n") as file:
    file.writelines(text + "\n" for _, text in paragraphs)
tokens = labelled.preprocess(labelled.cli(arguments.work), raw, os.path.join(folder, "preprocessed.txt"),
                             ["--lowercase", "--tokenizer", "word"])
if len(tokens) != len(paragraphs):
    raise SystemExit(f"preprocess wrote {len(tokens)} lines for {len(paragraphs)} paragraphs; the labels would not line up")
examples = [(label, text) for (label, _), text in zip(paragraphs, tokens) if text.strip()]
labelled.split_and_write(arguments, folder, examples, "quijote")
