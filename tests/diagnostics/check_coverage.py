#!/usr/bin/env python3
"""Every diagnostic the compiler can emit must be produced by some test.

Collects the message formats from the compiler's sources (the string
literal given to each reporting function listed in REPORTERS), turns each
printf format into a regex, compiles every .py file under the given test
directories with `pybpf compile`, and checks that each format matches at
least one error, warning or note those compiles printed.

"internal compiler error/warning" messages are exempt: they report pybpf bugs and
no valid test can reach them.

Usage: check_coverage.py PYBPF COMPILER_DIR TEST_DIR...
Prints the uncovered formats and ends with "N passed, N failed" (one test
per format).
"""
import os
import re
import subprocess
import sys
import tempfile

from run_diag_tests import extra_args, test_files

# function name -> index of the format argument
REPORTERS = {
    "diag_error": 2,
    "diag_warning": 2,
    "diag_note": 3,
    "report_at": 3,         # sema_const.c
    "parse_raise": 2,       # parser
    "parse_raise_last": 1,
    "fail": 4,              # lexer
}
DIAG = re.compile(r'^.+?:(?:\d+:\d+:)? (?:error|warning|note): (?P<msg>.*)$')


def c_string_at(src, i):
    """Concatenated C string literals starting at src[i] (after spaces)."""
    out = []
    n = len(src)
    while True:
        while i < n and src[i] in " \t\n":
            i += 1
        if i >= n or src[i] != '"':
            break
        i += 1
        buf = []
        while i < n and src[i] != '"':
            if src[i] == "\\":
                buf.append(src[i:i + 2])
                i += 2
            else:
                buf.append(src[i])
                i += 1
        i += 1
        out.append("".join(buf))
    return "".join(out) if out else None


def call_args(src, i):
    """Start offsets of the arguments of the call whose '(' is at src[i]."""
    depth, starts, j = 0, [i + 1], i
    n = len(src)
    while j < n:
        ch = src[j]
        if ch == '"':
            j += 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return starts
        elif ch == "," and depth == 1:
            starts.append(j + 1)
        j += 1
    return starts


def formats(compiler_dir):
    found = {}
    names = "|".join(REPORTERS)
    call = re.compile(r'\b(' + names + r')\s*\(')
    for root, _, files in os.walk(compiler_dir):
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(root, f)
            src = open(path, encoding="utf-8").read()
            for m in call.finditer(src):
                # skip definitions and declarations ("static bool report_at(")
                line_start = src.rfind("\n", 0, m.start()) + 1
                prefix = src[line_start:m.start()].strip()
                if re.fullmatch(r'(static\s+)?(const\s+)?\w+(\s*\*)*', prefix) and \
                        prefix not in ("return", "else"):
                    continue
                args = call_args(src, m.end() - 1)
                k = REPORTERS[m.group(1)]
                if k >= len(args):
                    continue
                fmt = c_string_at(src, args[k])
                if not fmt or fmt in ("%s",):
                    continue
                lineno = src.count("\n", 0, m.start()) + 1
                found.setdefault(fmt, f"{os.path.relpath(path, compiler_dir)}:{lineno}")
    return found


def to_regex(fmt):
    fmt = fmt.encode().decode("unicode_escape")
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%":
            m = re.match(r'%[-+ #0]*\d*(?:\.(?:\d+|\*))?(?:hh|h|ll|l|z|j|t)?([diouxXcsp%])', fmt[i:])
            if m:
                conv = m.group(1)
                out.append("%" if conv == "%" else ".*?" if conv in "sc p" else r"-?[0-9a-fA-Fx]+")
                i += m.end()
                continue
        out.append(re.escape(fmt[i]))
        i += 1
    return re.compile("^" + "".join(out) + "$", re.S)


def messages(pybpf, dirs):
    msgs = []
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "o.bpf.o")
        for d in dirs:
            for path in test_files(d):
                p = subprocess.run([pybpf, "compile", path, "-o", out] + extra_args(path),
                                   capture_output=True, text=True, errors="replace",
                                   timeout=60)
                for line in p.stderr.splitlines():
                    m = DIAG.match(line)
                    if m:
                        msgs.append(m.group("msg"))
    return msgs


def main():
    pybpf, compiler_dir, dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
    fmts = formats(compiler_dir)
    msgs = messages(pybpf, dirs)
    passed = failed = 0
    for fmt, where in sorted(fmts.items(), key=lambda kv: kv[1]):
        if fmt.startswith("internal compiler"):
            continue
        rx = to_regex(fmt)
        if any(rx.match(m) for m in msgs):
            passed += 1
        else:
            failed += 1
            print(f"UNTESTED {where}: \"{fmt}\"")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not fmts else 0


if __name__ == "__main__":
    sys.exit(main())
