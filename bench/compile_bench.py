#!/usr/bin/env python3
"""Compile-time benchmark: pybpf vs clang-19 on the same programs.

For each example, times the whole `pybpf compile examples/X.py` process and
the whole `clang-19 -O2 -g -target bpf -mcpu=v3 -c bench/c/X.bpf.c` process
(the same logic written in C, as clang + libbpf users write it), alternating
the two so machine noise hits both alike, and reports the medians and their
ratio. It also counts the BPF instructions (8-byte slots) of the program
sections of both objects.

Usage: compile_bench.py [--pybpf PATH] [--clang PATH] [--runs N] [--out FILE]
Not a test: timings are measured and reported, never asserted.
"""
import argparse
import os
import platform
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
EXAMPLES = ["hello_world", "exec_counter", "exec_events"]
SHF_EXECINSTR = 0x4


def program_sections(path):
    """{section name: instruction slots} for the executable sections of an ELF."""
    data = open(path, "rb").read()
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum, e_shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    sections = []
    for i in range(e_shnum):
        off = e_shoff + i * e_shentsize
        name, _type, flags, _addr, _off, size = struct.unpack_from("<IIQQQQ", data, off)
        sections.append((name, flags, size))
    stroff = struct.unpack_from("<Q", data, e_shoff + e_shstrndx * e_shentsize + 0x18)[0]
    out = {}
    for name, flags, size in sections:
        if flags & SHF_EXECINSTR and size:
            end = data.index(b"\0", stroff + name)
            out[data[stroff + name:end].decode()] = size // 8
    return out


def time_once(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    dt = time.perf_counter() - t
    if p.returncode:
        sys.exit(f"command failed: {' '.join(cmd)}\n{p.stderr.decode(errors='replace')}")
    return dt * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pybpf", default=os.path.join(ROOT, "build", "release", "pybpf"))
    ap.add_argument("--clang", default="clang-19")
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--out")
    args = ap.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in EXAMPLES:
            py = os.path.join(ROOT, "examples", name + ".py")
            c = os.path.join(HERE, "c", name + ".bpf.c")
            py_out = os.path.join(tmp, name + ".py.o")
            c_out = os.path.join(tmp, name + ".c.o")
            ours = [args.pybpf, "compile", py, "-o", py_out]
            theirs = [args.clang, "-O2", "-g", "-target", "bpf", "-mcpu=v3",
                      "-I/usr/include/x86_64-linux-gnu", "-c", c, "-o", c_out]
            time_once(ours), time_once(theirs)  # warm the page cache
            t_ours, t_theirs = [], []
            for _ in range(args.runs):
                t_ours.append(time_once(ours))
                t_theirs.append(time_once(theirs))
            m_ours, m_theirs = statistics.median(t_ours), statistics.median(t_theirs)
            insns_ours = sum(program_sections(py_out).values())
            insns_theirs = sum(program_sections(c_out).values())
            rows.append((name, m_ours, m_theirs, m_theirs / m_ours, insns_ours, insns_theirs))

    lines = [
        f"# pybpf compile benchmark ({time.strftime('%Y-%m-%d')}, {platform.node()}, "
        f"{os.cpu_count()} CPUs, median of {args.runs} runs)",
        "",
        f"pybpf: `{os.path.relpath(args.pybpf, ROOT)} compile X.py` (whole process); "
        f"clang: `{args.clang} -O2 -g -target bpf -mcpu=v3 -c X.bpf.c` (whole process)",
        "",
        "| example | pybpf ms | clang-19 ms | speed-up | pybpf insns | clang insns |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, a, b, r, ia, ib in rows:
        lines.append(f"| {name} | {a:.1f} | {b:.1f} | {r:.1f}x | {ia} | {ib} |")
    worst = min(r[3] for r in rows)
    lines += ["", f"slowest ratio: pybpf is {worst:.1f}x faster than clang-19 "
                  f"(goal: 4x, floor: 2x)"]
    text = "\n".join(lines) + "\n"
    print(text, end="")
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
