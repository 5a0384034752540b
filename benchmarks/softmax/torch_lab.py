#!/usr/bin/env python3
"""The seed lab's full-softmax word2vec in PyTorch, as the anchor for `Embeddings.Benchmarks softmax`.

Embedding(V, dim) -> Linear(dim, V) -> cross-entropy, AdamW(lr, weight_decay), minibatches of shuffled skip-gram
(centre -> context) pairs from +-window windows, no subsampling, no window shrinking. Vocabulary: words seen more than
--min-count - 1 times (the lab's count > 10); out-of-vocabulary tokens are dropped before windowing, as the .NET side's
encoded corpus does. Prints one JSON object: per-epoch mean loss per pair and seconds.

Usage: python3 torch_lab.py TOKENS [--epochs 3] [--threads 2] [--dim 100] [--window 3] [--batch 256]
"""
import argparse
import collections
import json
import time

import torch
from torch import nn


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("tokens", help="one sentence per line, tokens separated by spaces")
    parser.add_argument("--min-count", type=int, default=11)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--window", type=int, default=3)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    with open(args.tokens, encoding="utf-8") as f:
        sentences = [line.split() for line in f]
    counts = collections.Counter(w for s in sentences for w in s)
    words = sorted((w for w, c in counts.items() if c >= args.min_count), key=lambda w: (-counts[w], w))
    index = {w: i for i, w in enumerate(words)}

    centres, contexts = [], []
    for sentence in sentences:
        ids = [index[w] for w in sentence if w in index]
        for c, centre in enumerate(ids):
            for o in range(max(0, c - args.window), min(len(ids), c + args.window + 1)):
                if o != c:
                    centres.append(centre)
                    contexts.append(ids[o])
    centres = torch.tensor(centres, dtype=torch.long)
    contexts = torch.tensor(contexts, dtype=torch.long)
    pairs = len(centres)

    model = nn.Sequential(nn.Embedding(len(words), args.dim), nn.Linear(args.dim, len(words)))
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    loss_fn = nn.CrossEntropyLoss()
    epochs = []
    for epoch in range(1, args.epochs + 1):
        start = time.perf_counter()
        order = torch.randperm(pairs)
        total = 0.0
        for first in range(0, pairs, args.batch):
            batch = order[first:first + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(centres[batch]), contexts[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        epochs.append({"epoch": epoch, "loss": total / pairs, "seconds": time.perf_counter() - start})

    print(json.dumps({
        "tool": "torch " + torch.__version__,
        "threads": args.threads,
        "vocabulary": len(words),
        "pairs": pairs,
        "epochs": epochs,
        "train_seconds": sum(e["seconds"] for e in epochs),
    }))


if __name__ == "__main__":
    main()
