"""Shared by the classification benchmark's data scripts: the CLI, the seeded stratified split and fastText's format.

The split is the same in any language: SplitMix64 (the generator the library uses) drives a Fisher-Yates shuffle of
each label's examples; the first round(share * n) of each label go to the test side; then each side is shuffled once
more, so that a file never lists one label after another (fastText's SGD reads the training file in order).
"""
import argparse
import os
import shlex
import subprocess
import sys

MASK = (1 << 64) - 1
REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        """An integer in [0, n): the high half of the 64 x 64-bit product (bias below 2^-40 for these sizes)."""
        return (self.next() * n) >> 64

    def shuffle(self, items):
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]


def stratified_split(examples, test_share, seed):
    """examples: (label, text) pairs → (training, test), each label split test_share / 1 - test_share."""
    random = SplitMix64(seed)
    by_label = {}
    for example in examples:
        by_label.setdefault(example[0], []).append(example)
    training, test = [], []
    for label in sorted(by_label):
        group = by_label[label]
        random.shuffle(group)
        cut = round(test_share * len(group))
        test.extend(group[:cut])
        training.extend(group[cut:])
    random.shuffle(training)
    random.shuffle(test)
    return training, test


def arguments_and_folder(set_name, description):
    """Parses WORK [--seed 1] [--test-share 0.2] and makes WORK/SET_NAME; returns (arguments, that folder)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("work")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--test-share", type=float, default=0.2)
    arguments = parser.parse_args()
    folder = os.path.join(arguments.work, set_name)
    os.makedirs(folder, exist_ok=True)
    return arguments, folder


def shared_data(*parts):
    return os.path.join(REPOSITORY, "..", "shared", "data", *parts)


def split_and_write(arguments, folder, examples, description):
    """Splits (label, text) examples with the seed and share of the arguments; writes FOLDER/train.txt and test.txt."""
    training, test = stratified_split(examples, arguments.test_share, arguments.seed)
    write_fasttext(os.path.join(folder, "train.txt"), training)
    write_fasttext(os.path.join(folder, "test.txt"), test)
    describe(description, training, test)


def write_fasttext(path, examples):
    with open(path, "w", encoding="utf-8", newline="\n") as file:
        for label, text in examples:
            file.write(f"__label__{label} {text}\n")


def describe(name, training, test):
    counts = {}
    for label, _ in training + test:
        counts[label] = counts.get(label, 0) + 1
    tokens = sum(len(text.split()) for _, text in training)
    print(f"{name}: {len(training):,} training and {len(test):,} test examples, {tokens:,} training tokens; "
          f"labels {dict(sorted(counts.items()))}", file=sys.stderr)


def cli(work):
    """The `embeddings` CLI as a command list: $EMBEDDINGS if set, else built once into WORK/cli (so that rebuilding
    the tree during a long run cannot change the binary)."""
    if os.environ.get("EMBEDDINGS"):
        return shlex.split(os.environ["EMBEDDINGS"])
    dll = os.path.join(work, "cli", "embeddings.dll")
    if not os.path.exists(dll):
        subprocess.run(["dotnet", "build", os.path.join(REPOSITORY, "samples", "Embeddings.Cli"), "-c", "Release",
                        "-v", "q", "-nologo", "-o", os.path.join(work, "cli")], check=True, stdout=subprocess.DEVNULL)
    return ["dotnet", dll]


def preprocess(command, input_path, output_path, options):
    """Runs `embeddings preprocess`, which writes one line per input record (an empty one when nothing is left), so
    line i of the output belongs to record i of the input."""
    subprocess.run(command + ["preprocess", "--input", input_path, "--output", output_path, "--threads", "2"] + options,
                   check=True)
    with open(output_path, encoding="utf-8") as file:
        return [line.rstrip("\n") for line in file]
