#!/usr/bin/env python3
"""Diagnostics tests: each .py file states the diagnostics it must produce.

Expectations are comments (Go's errorcheck style):

    x = 1.5            # ERROR "floating-point"
    # ERROR@12 "regex"     an error on line 12 (for lines that cannot hold a comment)
    # WARNING "regex"      / # WARNING@N "regex"
    # ERROR@0 "regex"      a diagnostic without a location
    # ARGS: --mcpu=v2      extra options for `pybpf compile` ({dir}: the file's directory)
    # ERROR@mod.py:3 "regex"  an error in another file (an imported module), relative
                           to the test file's directory

Multi-file tests keep their imported modules in directories named `modules`,
which are not tests themselves.

For each file the runner compiles it with `pybpf compile FILE -o OUT` and
checks that every expected diagnostic is reported on its line with a message
matching the regex, that no other error or warning is reported, that the exit
status is 1 when errors are expected (0 otherwise), that every located
diagnostic prints the source line and a caret, and that a failed compile
leaves no output file (a stale OUT created beforehand must be removed).

Usage: run_diag_tests.py PYBPF DIR... [--messages-out FILE]
Prints one line per failure and ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile

ARGS = re.compile(r'^#\s*ARGS:(.*)$', re.M)
EXPECT = re.compile(r'#\s*(ERROR|WARNING)(?:@(?:([^\s":]+):)?(\d+))?\s+"((?:[^"\\]|\\.)*)"')
DIAG = re.compile(r'^(?P<file>.+?):(?:(?P<line>\d+):(?P<col>\d+):)? (?P<level>error|warning|note): (?P<msg>.*)$')


def extra_args(path):
    """The options a file's `# ARGS:` line asks for."""
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        m = ARGS.search(f.read())
    here = os.path.dirname(os.path.abspath(path))
    return [a.replace("{dir}", here) for a in m.group(1).split()] if m else []


def test_files(d):
    """The .py tests under d (not the imported modules in `modules` directories)."""
    out = []
    for root, dirs, names in os.walk(d):
        dirs[:] = [x for x in dirs if x != "modules"]
        out += [os.path.join(root, n) for n in names if n.endswith(".py")]
    return sorted(out)


def expectations(path):
    out = []
    here = os.path.dirname(os.path.abspath(path))
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for lineno, text in enumerate(f, 1):
            for m in EXPECT.finditer(text):
                line = int(m.group(3)) if m.group(3) is not None else lineno
                where = os.path.join(here, m.group(2)) if m.group(2) else path
                out.append((m.group(1).lower(), os.path.abspath(where), line,
                            m.group(4).replace('\\"', '"')))
    return out


def run_one(pybpf, path, messages):
    expected = expectations(path)
    extra = extra_args(path)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.bpf.o")
        with open(out, "wb") as f:
            f.write(b"stale")
        p = subprocess.run([pybpf, "compile", path, "-o", out] + extra, capture_output=True,
                           text=True, errors="replace", timeout=60)
        leftover = os.path.exists(out)
    problems = []
    lines = p.stderr.splitlines()
    actual = []
    for i, text in enumerate(lines):
        m = DIAG.match(text)
        if not m:
            continue
        messages.append(m.group("msg"))
        if m.group("level") == "note":
            continue
        line = int(m.group("line") or 0)
        actual.append((m.group("level"), os.path.abspath(m.group("file")), line,
                       m.group("msg")))
        if line and not (i + 2 < len(lines) and "^" in lines[i + 2]):
            problems.append(f"line {line}: no source line and caret after '{text}'")
    unmatched = list(actual)
    for level, where, line, regex in expected:
        hit = next((a for a in unmatched if a[0] == level and a[1] == where and a[2] == line
                    and re.search(regex, a[3])), None)
        if hit:
            unmatched.remove(hit)
        else:
            problems.append(f"missing {level} at {os.path.basename(where)}:{line} "
                            f"matching \"{regex}\"")
    for level, where, line, msg in unmatched:
        problems.append(f"unexpected {level} at {os.path.basename(where)}:{line}: {msg}")
    want_errors = any(e[0] == "error" for e in expected)
    if want_errors and p.returncode != 1:
        problems.append(f"exit status {p.returncode}, expected 1")
    if not want_errors and p.returncode != 0:
        problems.append(f"exit status {p.returncode}, expected 0")
    if want_errors and leftover:
        problems.append("the output file was left behind after errors")
    if p.returncode not in (0, 1):
        problems.append("crashed or internal error:\n" + p.stderr)
    return problems


def main():
    args = sys.argv[1:]
    messages_out = None
    if "--messages-out" in args:
        i = args.index("--messages-out")
        messages_out = args[i + 1]
        del args[i:i + 2]
    pybpf, dirs = args[0], args[1:]
    files = []
    for d in dirs:
        files += test_files(d)
    files.sort()
    passed = failed = 0
    messages = []
    for path in files:
        problems = run_one(pybpf, path, messages)
        if problems:
            failed += 1
            for pr in problems:
                print(f"FAIL {path}: {pr}")
        else:
            passed += 1
    if messages_out:
        with open(messages_out, "w") as f:
            f.write("\n".join(messages) + "\n")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not files else 0


if __name__ == "__main__":
    sys.exit(main())
