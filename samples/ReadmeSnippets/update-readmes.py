#!/usr/bin/env python3
"""Rewrites every C# block of README.md and src/*/README.md from its region in samples/ReadmeSnippets.

A block is the ```csharp fence right below a '<!-- region NAME -->' line; its text becomes the '#region NAME' parts of
the snippet files (the usings, then the statements), each without its common indentation, joined by a blank line.
tests/Embeddings.Samples.Tests/ReadmeSnippetsTests fails when the two differ; run this after editing a snippet:

    python3 samples/ReadmeSnippets/update-readmes.py
"""
import glob
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def dedent(lines):
    lines = [line.rstrip() for line in lines]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line), default=0)
    return "\n".join(line[indent:] for line in lines).strip("\n")


def regions():
    parts = {}
    for path in sorted(glob.glob(os.path.join(ROOT, "samples", "ReadmeSnippets", "*.cs"))):
        lines = open(path, encoding="utf-8").read().split("\n")
        i = 0
        while i < len(lines):
            start = re.match(r"^\s*#region\s+(\S+)\s*$", lines[i])
            if start:
                end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "#endregion")
                parts.setdefault(start.group(1), []).append(dedent(lines[i + 1:end]))
                i = end
            i += 1
    return {name: "\n\n".join(texts) for name, texts in parts.items()}


def update(path, code):
    lines = open(path, encoding="utf-8").read().split("\n")
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        marker = re.match(r"^\s*<!--\s*region\s+(\S+)\s*-->\s*$", lines[i])
        if marker and i + 1 < len(lines) and lines[i + 1].strip() == "```csharp":
            end = next(j for j in range(i + 2, len(lines)) if lines[j].strip() == "```")
            out += ["```csharp", code[marker.group(1)], "```"]
            i = end
        i += 1
    open(path, "w", encoding="utf-8").write("\n".join(out))


code = regions()
for markdown in [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "src", "*", "README.md"))):
    update(markdown, code)
