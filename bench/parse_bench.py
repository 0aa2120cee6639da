#!/usr/bin/env python3
"""Parse-speed benchmark: pybpf's tokenizer + parser vs CPython's ast.parse.

Both parse the same files in the same run: by default every *.py under
/usr/lib/python3.11 (the standard library), minus the few files CPython
itself rejects (they are counted and left out of both sides). Each side
reads all files into memory first and times only the parsing, over the same
number of repetitions (default 5) after one untimed warm-up pass; the
median repetition is reported.

  ours:    parse_bench -r N -f LIST (bench/parse_bench.c): lex + parse each
           file into pybpf's AST in a fresh arena, freed after each file
  CPython: ast.parse(source_bytes, path) in /usr/bin/python3 (a separate
           process, so the interpreter timed is the one named by --python)

Usage: parse_bench.py [--driver PATH] [--python PATH] [--reps N] [--no-gc]
                      [--out FILE] [PATH...]
Not a test: timings are measured and reported, never asserted.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Runs inside the timed interpreter: argv = list file, reps, gc flag.
CPYTHON_TIMER = r"""
import ast, gc, json, statistics, sys, time
paths = [p for p in open(sys.argv[1]).read().split("\n") if p]
reps, use_gc = int(sys.argv[2]), sys.argv[3] == "gc"
sources = []
for p in paths:
    with open(p, "rb") as f:
        sources.append((p, f.read()))
if sys.argv[4] == "check":
    for p, src in sources:
        try:
            ast.parse(src, p)
            print(p)
        except (SyntaxError, ValueError):
            pass
    sys.exit(0)
if not use_gc:
    gc.disable()
for p, src in sources:  # warm-up pass, untimed (parse_bench -w 1 does the same)
    ast.parse(src, p)
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    for p, src in sources:
        ast.parse(src, p)
    times.append(time.perf_counter() - t0)
print(json.dumps({"times": times, "median": statistics.median(times)}))
"""


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs.sort()
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
        else:
            files.append(path)
    return files


def count_lines(data):
    """Newlines plus an unterminated last line (parse_bench.c counts the same way)."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def default_driver():
    for preset in ("release", "dev"):
        path = os.path.join(ROOT, "build", preset, "bench", "parse_bench")
        if os.path.exists(path):
            return path
    return os.path.join(ROOT, "build", "release", "bench", "parse_bench")


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"command failed: {' '.join(cmd)}\n{p.stderr}")
    return p.stdout


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--driver", default=default_driver(), help="the parse_bench binary")
    ap.add_argument("--python", default="/usr/bin/python3", help="the CPython to compare with")
    ap.add_argument("--reps", type=int, default=5, help="repetitions (the median is reported)")
    ap.add_argument("--no-gc", action="store_true", help="disable CPython's cyclic GC while timing")
    ap.add_argument("--out", help="also write the Markdown report here")
    ap.add_argument("paths", nargs="*", default=["/usr/lib/python3.11"])
    args = ap.parse_args()

    files = collect(args.paths)
    with tempfile.TemporaryDirectory() as tmp:
        all_list = os.path.join(tmp, "all.txt")
        with open(all_list, "w") as f:
            f.write("\n".join(files) + "\n")
        # The files CPython accepts: both sides parse exactly these.
        accepted = run([args.python, "-c", CPYTHON_TIMER, all_list, "1", "gc", "check"]).split("\n")
        accepted = [p for p in accepted if p]
        rejected = len(files) - len(accepted)
        lst = os.path.join(tmp, "files.txt")
        with open(lst, "w") as f:
            f.write("\n".join(accepted) + "\n")
        lines = nbytes = 0
        for p in accepted:
            with open(p, "rb") as f:
                data = f.read()
            lines += count_lines(data)
            nbytes += len(data)

        ours_out = run([args.driver, "-r", str(args.reps), "-f", lst])
        ours_s = float(re.search(r"^seconds \(median of \d+\): ([0-9.]+)$", ours_out, re.M)[1])
        ours_lines = int(re.search(r"^lines: (\d+)$", ours_out, re.M)[1])
        ours_errors = int(re.search(r"^syntax errors: (\d+)$", ours_out, re.M)[1])
        if ours_lines != lines:
            sys.exit(f"line counts differ: parse_bench {ours_lines}, parse_bench.py {lines}")

        theirs = json.loads(run([args.python, "-c", CPYTHON_TIMER, lst, str(args.reps),
                                 "nogc" if args.no_gc else "gc", "time"]))
        theirs_s = theirs["median"]

    version = run([args.python, "-c", "import sys; print(sys.version.split()[0])"]).strip()
    ours_rate, theirs_rate = lines / ours_s, lines / theirs_s
    out = [
        f"# pybpf parse benchmark ({time.strftime('%Y-%m-%d')}, {platform.node()}, "
        f"{os.cpu_count()} CPUs, median of {args.reps} repetitions)",
        "",
        f"Files: every *.py under {', '.join(args.paths)} that CPython {version} accepts "
        f"({rejected} rejected by CPython, left out); {nbytes} bytes. pybpf: "
        f"`{os.path.relpath(args.driver, ROOT)}` (lex + parse, arena per file); "
        f"CPython: `ast.parse(bytes)`{' with gc disabled' if args.no_gc else ''}.",
        "",
        "| files | lines | pybpf lines/s | CPython lines/s | ratio |",
        "|---:|---:|---:|---:|---:|",
        f"| {len(accepted)} | {lines} | {ours_rate:,.0f} | {theirs_rate:,.0f} "
        f"| {ours_rate / theirs_rate:.2f}x |",
        "",
        f"pybpf: {ours_s * 1000:.1f} ms per pass; CPython: {theirs_s * 1000:.1f} ms per pass.",
    ]
    if ours_errors:
        out.append(f"warning: pybpf reported syntax errors in {ours_errors} of these files")
    text = "\n".join(out) + "\n"
    print(text, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
