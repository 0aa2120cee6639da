#!/usr/bin/python3
"""Runs the syntax-error corpus, tests/diagnostics/syntax/*.py.

    syntax_corpus.py --parser BUILD/pybpf-parse [DIR]

Each case is a small invalid file that states the error it expects, either
on its first line:

    # ERROR@N "regex"

(N is the line CPython reports), or at the end of the offending line:

    f() = 1  # ERROR "cannot assign to function call"

For each case the runner checks that
  (a) CPython (/usr/bin/python3's compile()) rejects the file with a
      SyntaxError on line N, so the expectation is CPython's (a few limits
      CPython enforces with another exception, such as RecursionError for
      a tree too deep, say so on a line `# CPYTHON: RecursionError`; then
      that exception is what CPython must raise), and
  (b) `pybpf-parse --ast FILE` exits with status 1 and prints a
      `file:line:col: error: message` line whose line is N and whose message
      matches the regex (re.search).
Ends with "N passed, N failed".
"""
import argparse
import os
import re
import subprocess
import sys

HEADER = re.compile(r'^#\s*ERROR@(\d+)\s+"(.*)"\s*$')
TRAILER = re.compile(r'#\s*ERROR\s+"(.*)"\s*$')
CPYTHON = re.compile(r"^#\s*CPYTHON:\s*(\w+)\s*$", re.M)
DIAG = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.*)$", re.M)


def expectation(lines):
    """(line, regex) stated by the case, or None."""
    if lines:
        m = HEADER.match(lines[0])
        if m:
            return int(m.group(1)), m.group(2)
    for i, line in enumerate(lines):
        m = TRAILER.search(line)
        if m:
            return i + 1, m.group(1)
    return None


def run_case(parser, path):
    """Returns None when the case passes, else the reason."""
    data = open(path, "rb").read()
    want = expectation(data.decode("utf-8", "replace").split("\n"))
    if want is None:
        return "no `# ERROR` expectation in the file"
    line, regex = want
    other = CPYTHON.search(data.decode("utf-8", "replace"))
    try:
        compile(data, path, "exec")
        return "CPython accepts this file"
    except SyntaxError as e:
        if other:
            return "CPython raises SyntaxError, the case says %s" % other.group(1)
        if e.lineno != line:
            return "CPython reports line %s (%s), the case says %d" % (e.lineno, e.msg, line)
    except (ValueError, RecursionError, MemoryError) as e:
        if not other or type(e).__name__ != other.group(1):
            return "CPython raises %s (%s), not a SyntaxError" % (type(e).__name__, e)
    proc = subprocess.run([parser, "--ast", path], capture_output=True, timeout=60)
    err = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 1:
        return "pybpf-parse exited %d (want 1): %s" % (proc.returncode, err.strip()[:300])
    m = DIAG.search(err)
    if not m:
        return "no `file:line:col: error: message` line in: %s" % err.strip()[:300]
    if int(m.group("line")) != line:
        return "error on line %s, want line %d: %s" % (m.group("line"), line, m.group("msg"))
    if not re.search(regex, m.group("msg")):
        return "message %r does not match %r" % (m.group("msg"), regex)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parser", required=True, help="path of the pybpf-parse binary")
    ap.add_argument("dir", nargs="?",
                    default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "syntax"))
    args = ap.parse_args()
    cases = sorted(f for f in os.listdir(args.dir) if f.endswith(".py"))
    passed = failed = 0
    for name in cases:
        problem = run_case(args.parser, os.path.join(args.dir, name))
        if problem is None:
            passed += 1
        else:
            failed += 1
            print("FAIL %s: %s" % (name, problem))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not cases else 0


if __name__ == "__main__":
    sys.exit(main())
