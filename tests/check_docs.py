#!/usr/bin/env python3
"""Runs the examples of README.md and docs/*.md and checks their output against what the docs show.

An example is a ```console block: lines starting with "$ " are commands (a line ending in "\\"
continues on the next), the lines after a command are its expected standard output. Commands
run with bash, one block at a time in a fresh folder that holds samples/, tests/ and weights/ of
the checkout (as links), with the built mtcnn first on PATH. A block right after the comment
<!-- docs-check: skip (reason) --> is not run (for example when it needs ../shared data).

Output must match line for line, except that a number may differ by one unit in its last shown
decimal (CPUs with and without AVX-512 can differ there), and a line "..." in the docs stands for
any number of lines.

    tests/check_docs.py REPO_ROOT MTCNN_BINARY
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
SKIP = re.compile(r"<!--\s*docs-check:\s*skip\b")


def examples(markdown):
    """Yields (line number, commands, expected lines per command) for each console block."""
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```console":
            i += 1
            continue
        skipped = i > 0 and SKIP.search(lines[i - 1] or "") is not None
        start = i + 1
        i += 1
        block = []
        while i < len(lines) and lines[i].strip() != "```":
            block.append(lines[i])
            i += 1
        i += 1
        if skipped:
            continue
        commands, outputs = [], []
        j = 0
        while j < len(block):
            if not block[j].startswith("$ "):
                raise ValueError(f"line {start + j + 1}: output before any command")
            command = block[j][2:]
            while command.endswith("\\") and j + 1 < len(block):
                j += 1
                command = command[:-1] + " " + block[j].strip()
            j += 1
            expected = []
            while j < len(block) and not block[j].startswith("$ "):
                expected.append(block[j])
                j += 1
            commands.append(command)
            outputs.append(expected)
        yield start, commands, outputs


def numbers_agree(expected, actual):
    """Equal, or one unit apart in the last decimal the docs show."""
    if expected == actual:
        return True
    decimals = len(expected.split(".")[1]) if "." in expected else 0
    return abs(float(expected) - float(actual)) <= 10 ** -decimals * 1.0001


def line_matches(expected, actual):
    if NUMBER.sub("#", expected) != NUMBER.sub("#", actual):
        return False
    return all(numbers_agree(e, a) for e, a in zip(NUMBER.findall(expected), NUMBER.findall(actual)))


def output_matches(expected, actual):
    """Line by line; "..." matches any run of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(output_matches(expected[1:], actual[k:]) for k in range(len(actual) + 1))
    return bool(actual) and line_matches(expected[0], actual[0]) and output_matches(
        expected[1:], actual[1:])


def main():
    root = pathlib.Path(sys.argv[1]).resolve()
    binary = pathlib.Path(sys.argv[2]).resolve()
    documents = [root / "README.md"] + sorted((root / "docs").glob("*.md"))
    env = dict(os.environ, PATH=f"{binary.parent}:{os.environ['PATH']}",
               MTCNN_MODELS=str(root / "weights"))
    failures, checked = 0, 0
    for document in documents:
        for line, commands, outputs in examples(document.read_text()):
            with tempfile.TemporaryDirectory(prefix="mtcnn-docs-") as work:
                for name in ("samples", "tests", "weights"):
                    os.symlink(root / name, pathlib.Path(work) / name)
                for command, expected in zip(commands, outputs):
                    checked += 1
                    run = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=work,
                                         env=env, capture_output=True, text=True)
                    actual = run.stdout.splitlines()
                    where = f"{document.relative_to(root)}:{line}: $ {command}"
                    if run.returncode not in (0, 1):
                        failures += 1
                        print(f"FAILED {where}\n  exit {run.returncode}: {run.stderr.strip()}")
                    elif not output_matches(expected, actual):
                        failures += 1
                        print(f"FAILED {where}\n--- the docs show:\n" + "\n".join(expected) +
                              "\n--- the tool printed:\n" + "\n".join(actual))
    print(f"{checked} documented commands run, {failures} differ from the docs")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
