#!/usr/bin/python3
"""Differential test of pybpf's parser (or tokenizer) against CPython 3.11.

    parse_diff.py --parser BUILD/pybpf-parse [--tokens] [--report] [-j N] PATH...

For every .py file under the PATHs (files or directories, recursively) it
runs `pybpf-parse --ast FILE` and compares the output with the dump that
astdump.py computes from CPython's ast module for the same bytes. When
CPython rejects a file, pybpf-parse must reject it too (exit status 1) and
report its error on the same line. With --tokens the token dumps are
compared instead (pybpf-parse --tokens against the tokenize module), for the
files CPython accepts and that do not opt out with a `# parse_diff: no-tokens`
line (where tokenize itself disagrees with CPython's C tokenizer).

Prints, for each file that differs, its name and the first differing lines,
then `N identical / M total`. Exits 1 when some file differs, unless
--report is given (then it only reports).
"""
import argparse
import concurrent.futures
import difflib
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import astdump  # noqa: E402

# A file containing this line is left out of the token comparison (where the
# tokenize module itself disagrees with CPython's tokenizer).
NO_TOKENS = b"# parse_diff: no-tokens"

ERROR_LINE = re.compile(r"^[^\n]*?:(\d+):(\d+): error: (.*)$", re.M)


def collect(paths):
    files = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "build"))
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
        elif path.endswith(".py") or os.path.isfile(path):
            files.append(path)
    return files


def expected(path, mode):
    """(dump, None) or (None, (line, message)) from CPython."""
    with open(path, "rb") as f:
        source = f.read()
    if mode == "tokens" and NO_TOKENS in source:
        return "skip", None
    try:
        if mode == "tokens":
            astdump.ast_dump(source)  # token dumps are compared on valid files only
            return astdump.token_dump(source), None
        return astdump.ast_dump(source), None
    except SyntaxError as e:
        return None, (e.lineno, e.msg)
    except Exception as e:  # ValueError (null bytes), tokenize.TokenError
        return None, (None, str(e))


def check(parser, path, mode):
    """Returns None when identical, "skip", or a list of explanation lines."""
    want, want_err = expected(path, mode)
    if want == "skip":
        return "skip"
    proc = subprocess.run([parser, "--" + mode, path], capture_output=True, timeout=60)
    got = proc.stdout.decode("utf-8", "replace")
    err = proc.stderr.decode("utf-8", "replace")
    if want_err is not None:
        line, msg = want_err
        if mode == "tokens":
            # the tokenize module accepts much that CPython rejects, so only
            # files CPython accepts are compared token by token
            return "skip"
        if proc.returncode != 1:
            return ["CPython rejects it (line %s: %s) but pybpf-parse exited %d"
                    % (line, msg, proc.returncode)]
        m = ERROR_LINE.search(err)
        if not m:
            return ["no `file:line:col: error:` line in pybpf-parse's output:", err.strip()]
        if line is not None and int(m.group(1)) != line:
            return ["error on line %s, CPython says line %d: %s" % (m.group(1), line, msg),
                    "  ours: " + m.group(3)]
        return None
    if proc.returncode != 0:
        return ["CPython accepts it but pybpf-parse exited %d:" % proc.returncode,
                err.strip()[:2000]]
    if got == want:
        return None
    diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(),
                                     "cpython", "pybpf", n=2, lineterm=""))
    return diff[:24]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--parser", required=True, help="path of the pybpf-parse binary")
    ap.add_argument("--tokens", action="store_true", help="compare token dumps")
    ap.add_argument("--report", action="store_true", help="always exit 0")
    ap.add_argument("-j", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--show", type=int, default=20, help="failing files to detail")
    ap.add_argument("paths", nargs="+")
    args = ap.parse_args()
    mode = "tokens" if args.tokens else "ast"
    files = collect(args.paths)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        results = pool.map(lambda f: (f, check(args.parser, f, mode)), files)
        skipped = 0
        for path, problem in results:
            if problem == "skip":
                skipped += 1
            elif problem is not None:
                failures.append((path, problem))
    for i, (path, problem) in enumerate(failures):
        if i < args.show:
            print("DIFF " + path)
            for line in problem:
                print("    " + line)
        else:
            print("DIFF " + path)
    total = len(files) - skipped
    if skipped:
        print("(%d files not compared token by token: CPython rejects them or they opt out)"
              % skipped)
    print("%d identical / %d total" % (total - len(failures), total))
    return 0 if (args.report or not failures) else 1


if __name__ == "__main__":
    sys.exit(main())
