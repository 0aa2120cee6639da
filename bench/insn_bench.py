#!/usr/bin/env python3
"""Instruction-count benchmark: pybpf's objects against clang-19 -O2's.

Every program of the corpus in bench/insn/ is written twice: NAME.py in the
pybpf dialect and NAME.bpf.c, the same maps, types and logic in C as a clang
+ libbpf user writes it. For each pair this script

  * compiles NAME.py with `pybpf compile NAME.py -o X -O2 --mcpu=v3` and
    NAME.bpf.c with `clang-19 -O2 -g -target bpf -mcpu=v3 -c`;
  * counts the BPF instructions of each object: the 8-byte instruction slots
    of every function symbol (STT_FUNC) in an executable section, read from
    the ELF file with the standard library (a 64-bit immediate load, ld_imm64,
    takes two slots, as it does in the kernel's instruction count);
  * checks that both objects load: `bpftool prog loadall` into a temporary
    directory in bpffs, removed afterwards (skipped, and said so, when not
    root or with --no-load), so that only working programs are compared;

and prints, per corpus program, pybpf's count, clang's and their ratio, then
the median and the worst ratio over the corpus. A program is the object's
programs (one per @section) plus its subprograms (.text). --sections adds
the same comparison per function.

Usage: insn_bench.py [--pybpf PATH] [--clang PATH] [--bpftool PATH]
                     [--no-load] [--sections] [--keep DIR] [--out FILE] [NAME...]
Not a test: the numbers are measured and reported, never asserted.
"""
import argparse
import os
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(HERE, "insn")
BPFFS = "/sys/fs/bpf"
SHF_EXECINSTR = 0x4
SHT_SYMTAB = 2
STT_FUNC = 2
GOAL_MEDIAN, GOAL_WORST = 1.0, 1.25


def elf_functions(path):
    """[(section, function, slots)] for the functions in executable sections.

    Reads the ELF64 little-endian section headers and the symbol table; a
    section without function symbols counts as one unnamed function."""
    data = open(path, "rb").read()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path}: not a 64-bit little-endian ELF file")
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    shdrs = []
    for i in range(e_shnum):
        shdrs.append(struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize))

    def cstr(off):
        return data[off:data.index(b"\0", off)].decode()

    shstr = shdrs[e_shstrndx][4]
    names = [cstr(shstr + h[0]) for h in shdrs]
    code = {i for i, h in enumerate(shdrs) if h[2] & SHF_EXECINSTR and h[5]}
    funcs = {i: [] for i in code}
    for h in shdrs:
        if h[1] != SHT_SYMTAB:
            continue
        strtab = shdrs[h[6]][4]
        for off in range(h[4], h[4] + h[5], h[9]):
            st_name, st_info, _other, st_shndx, _value, st_size = struct.unpack_from(
                "<IBBHQQ", data, off)
            if st_info & 0xF == STT_FUNC and st_shndx in code:
                funcs[st_shndx].append((cstr(strtab + st_name), st_size // 8))
    out = []
    for i in sorted(code):
        if funcs[i]:
            out += [(names[i], f, n) for f, n in sorted(funcs[i])]
        else:
            out.append((names[i], "", shdrs[i][5] // 8))
    return out


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return p.returncode, p.stdout.decode(errors="replace")


def load_check(bpftool, obj, pin_root, tag):
    """None when every program of obj loads with its BTF, else the tail of
    bpftool's log (libbpf loads programs without BTF the kernel rejects,
    only warning: that counts as a failure here)."""
    pin = os.path.join(pin_root, tag)
    try:
        rc, out = run([bpftool, "prog", "loadall", obj, pin])
    finally:
        if os.path.isdir(pin):
            shutil.rmtree(pin, ignore_errors=True)
    if rc or "Error loading .BTF" in out:
        return "\n".join(out.strip().splitlines()[-12:])
    return None


def shown(path):
    """path relative to the source tree when inside it"""
    rel = os.path.relpath(os.path.abspath(path), ROOT)
    return path if rel.startswith("..") else rel


def corpus_names(wanted):
    names = sorted(f[:-3] for f in os.listdir(CORPUS) if f.endswith(".py"))
    for n in names:
        if not os.path.exists(os.path.join(CORPUS, n + ".bpf.c")):
            sys.exit(f"insn_bench: {n}.py has no {n}.bpf.c")
    if wanted:
        missing = [w for w in wanted if w not in names]
        if missing:
            sys.exit(f"insn_bench: not in the corpus: {', '.join(missing)}")
        names = [n for n in names if n in wanted]
    return names


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pybpf", default=os.path.join(ROOT, "build", "release", "pybpf"))
    ap.add_argument("--clang", default="clang-19")
    ap.add_argument("--bpftool", default="bpftool")
    ap.add_argument("--no-load", action="store_true", help="do not check that objects load")
    ap.add_argument("--sections", action="store_true", help="also compare per function")
    ap.add_argument("--keep", help="write the objects to this directory")
    ap.add_argument("--out", help="also write the report (markdown) to this file")
    ap.add_argument("names", nargs="*", help="corpus programs (default: all)")
    args = ap.parse_args()

    names = corpus_names(args.names)
    for tool in (args.pybpf, args.clang):
        if not shutil.which(tool):
            sys.exit(f"insn_bench: {tool} not found (build pybpf first, or pass --pybpf)")
    load = not args.no_load
    why_no_load = "--no-load" if args.no_load else None
    if load and os.geteuid() != 0:
        load, why_no_load = False, "not root"
    if load and not shutil.which(args.bpftool):
        load, why_no_load = False, f"{args.bpftool} not found"
    if load and not os.path.ismount(BPFFS):
        load, why_no_load = False, f"bpffs is not mounted on {BPFFS}"

    work = args.keep or tempfile.mkdtemp(prefix="pybpf-insn-")
    os.makedirs(work, exist_ok=True)
    pin_root = None
    if load:
        pin_root = os.path.join(BPFFS, f"pybpf-insn-{os.getpid()}")
        os.mkdir(pin_root)

    rows, details, failures = [], [], []
    try:
        for name in names:
            py = os.path.join(CORPUS, name + ".py")
            c = os.path.join(CORPUS, name + ".bpf.c")
            ours_o = os.path.join(work, name + ".py.o")
            theirs_o = os.path.join(work, name + ".c.o")
            ours = [args.pybpf, "compile", py, "-o", ours_o, "-O2", "--mcpu=v3"]
            theirs = [args.clang, "-O2", "-g", "-target", "bpf", "-mcpu=v3",
                      "-I/usr/include/x86_64-linux-gnu", "-c", c, "-o", theirs_o]
            status = []
            for side, cmd in (("pybpf", ours), ("clang", theirs)):
                rc, out = run(cmd)
                if rc:
                    status.append(f"{side} compile failed")
                    failures.append((name, side, "compile", out.strip()))
            if status:
                rows.append((name, None, None, None, "; ".join(status)))
                continue
            for side, obj in (("pybpf", ours_o), ("clang", theirs_o)):
                err = load_check(args.bpftool, obj, pin_root, f"{name}-{side}") if load else None
                if err:
                    status.append(f"{side} load failed")
                    failures.append((name, side, "load", err))
            f_ours, f_theirs = elf_functions(ours_o), elf_functions(theirs_o)
            n_ours = sum(n for _s, _f, n in f_ours)
            n_theirs = sum(n for _s, _f, n in f_theirs)
            ok = "loads" if load else "not loaded"
            rows.append((name, n_ours, n_theirs, n_ours / n_theirs, "; ".join(status) or ok))
            theirs_by = {(s, f): n for s, f, n in f_theirs}
            ours_by = {(s, f): n for s, f, n in f_ours}
            for key in sorted(set(ours_by) | set(theirs_by)):
                details.append((name, key[0], key[1], ours_by.get(key), theirs_by.get(key)))
    finally:
        if pin_root:
            shutil.rmtree(pin_root, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    good = [r for r in rows if r[3] is not None and r[4] in ("loads", "not loaded")]
    lines = [
        f"# pybpf instruction counts ({time.strftime('%Y-%m-%d')}, "
        f"{len(rows)} programs in bench/insn/)",
        "",
        f"pybpf: `{shown(args.pybpf)} compile X.py -O2 --mcpu=v3`; "
        f"clang: `{args.clang} -O2 -g -target bpf -mcpu=v3 -c X.bpf.c`. "
        "Counts are 8-byte instruction slots (ld_imm64 is 2) of every function in "
        "the objects' executable sections (programs and .text subprograms).",
        "",
        "Load check: " + ("every object loaded with `bpftool prog loadall`"
                          if load else f"skipped ({why_no_load})"),
        "",
        "| program | pybpf | clang | ratio | status |",
        "|---|---:|---:|---:|---|",
    ]
    for name, a, b, r, st in rows:
        if r is None:
            lines.append(f"| {name} | - | - | - | {st} |")
        else:
            lines.append(f"| {name} | {a} | {b} | {r:.3f} | {st} |")
    lines.append("")
    if good:
        ratios = [r[3] for r in good]
        med = statistics.median(ratios)
        worst = max(good, key=lambda r: r[3])
        above = sum(1 for r in ratios if r > 1.0)
        below = sum(1 for r in ratios if r < 1.0)
        lines.append(f"median ratio {med:.3f} (goal <= {GOAL_MEDIAN}), worst {worst[3]:.3f} "
                     f"({worst[0]}; goal <= {GOAL_WORST}); {above} above 1.0, "
                     f"{len(ratios) - above - below} equal, {below} below; "
                     f"total {sum(r[1] for r in good)} vs {sum(r[2] for r in good)}")
    if len(good) != len(rows):
        lines.append(f"{len(rows) - len(good)} program(s) left out of the statistics "
                     "(failed to compile or load)")
    if args.sections:
        lines += ["", "| program | section | function | pybpf | clang |",
                  "|---|---|---|---:|---:|"]
        for name, sec, fn, a, b in details:
            lines.append(f"| {name} | {sec} | {fn} | {'-' if a is None else a} | "
                         f"{'-' if b is None else b} |")
    text = "\n".join(lines) + "\n"
    print(text, end="")
    for name, side, what, msg in failures:
        print(f"\n{name}: {side} {what} failed:\n{msg}", file=sys.stderr)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
