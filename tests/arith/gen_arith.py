#!/usr/bin/python3
"""gen_arith.py - writes the arithmetic differential tests (stdlib only).

Usage: gen_arith.py OUTDIR   (or --list: print the manifest's lines only)

For every operator it writes a Python file (compiled by pybpf) and the same
programs in C (compiled by clang-19), plus a table of inputs and of the
values the language defines, which arith_diff.c loads, runs and compares:

  OUTDIR/manifest.txt   one line per stem: "STEM sdiv" or "STEM -"; "sdiv"
                        means the C file divides signed values, which clang-19
                        only compiles for -mcpu=v4
  OUTDIR/STEM.py        one @section program per operand type pair
  OUTDIR/STEM.c         the same programs, libbpf style
  OUTDIR/STEM.txt       "prog NAME KIND OP LTYPE RTYPE" then, per input,
                        "in IDX A B X Y R0 R1 UB" (see below)

Every program reads its inputs at run time from the ArrayMap `inputs` (key
u32, value struct pair {u64 a, b}; a missing key makes it return 1), so
nothing folds: for input IDX it casts a and b to its operand types (X and Y
are those values, in decimal) and writes two results, as u64, to the
ArrayMap `results`:
  results[2*IDX]      the expression itself: x OP y (OP x for unary ones)
  results[2*IDX + 1]  binary arithmetic: z = x; z OP= y (converted back to
                      x's type); unary -/~: the result stored in x's type;
                      comparisons and `not`: the truth value taken by an
                      `if` statement (a branch instead of a value)
R0 and R1 are those results as grammar/dialect.md defines them (C's integer
rules, plus BPF's division by zero and shift counts modulo the width); UB
names what makes the C version undefined for that input ("-" when it is
defined): there pybpf must give R0 and R1, and clang's result is only
reported.

Inputs per program: the edge values of the operand types (0, 1, -1, min,
max, ..., some with garbage above the type's width so the casts truncate),
their cross product, and random pairs from a fixed seed.
"""

import random
import sys
from pathlib import Path

M64 = (1 << 64) - 1

# ctypes name -> (width, signed, C type, short name)
TYPES = {
    "c_int8": (8, True, "signed char", "i8"),
    "c_uint8": (8, False, "unsigned char", "u8"),
    "c_int16": (16, True, "short", "i16"),
    "c_uint16": (16, False, "unsigned short", "u16"),
    "c_int32": (32, True, "int", "i32"),
    "c_uint32": (32, False, "unsigned int", "u32"),
    "c_int64": (64, True, "long long", "i64"),
    "c_uint64": (64, False, "unsigned long long", "u64"),
}
SHORT = {v[3]: k for k, v in TYPES.items()}

# Same-type pairs for every type, and mixed pairs covering each case of C's
# usual arithmetic conversions (left operand first; most cases in both
# orders, for the operators that are not symmetric):
MIXED = [
    # both promote to int
    ("i8", "u8"), ("u8", "i8"), ("u16", "i16"), ("i8", "i16"), ("u8", "u16"),
    # unsigned narrower than int, promoted to int, against int
    ("u8", "i32"), ("i32", "u16"),
    # equal rank, different signedness: unsigned wins (int, long long)
    ("i32", "u32"), ("u32", "i32"), ("i64", "u64"), ("u64", "i64"),
    # narrow signed (promoted to int) against unsigned int: unsigned int
    ("i8", "u32"), ("u32", "i16"),
    # unsigned of smaller rank, signed can hold it: long long
    ("u32", "i64"), ("i64", "u32"), ("u8", "i64"), ("i64", "u16"),
    # signed of smaller rank than the unsigned: unsigned long long
    ("i32", "u64"), ("u64", "i32"), ("i16", "u64"), ("u64", "i8"),
    # same signedness, different rank
    ("i8", "i64"), ("i32", "i64"), ("i64", "i32"), ("u16", "u64"), ("u32", "u64"),
    ("u64", "u32"), ("u8", "u32"),
]
PAIRS = [(t, t) for t in TYPES] + [(SHORT[a], SHORT[b]) for a, b in MIXED]

# stem, Python operator, C operator, kind
BINARY = [
    ("add", "+", "+", "arith"),
    ("sub", "-", "-", "arith"),
    ("mul", "*", "*", "arith"),
    ("div", "/", "/", "div"),
    ("floordiv", "//", "/", "div"),
    ("mod", "%", "%", "div"),
    ("lshift", "<<", "<<", "shift"),
    ("rshift", ">>", ">>", "shift"),
    ("and", "&", "&", "arith"),
    ("or", "|", "|", "arith"),
    ("xor", "^", "^", "arith"),
    ("lt", "<", "<", "cmp"),
    ("le", "<=", "<=", "cmp"),
    ("gt", ">", ">", "cmp"),
    ("ge", ">=", ">=", "cmp"),
    ("eq", "==", "==", "cmp"),
    ("ne", "!=", "!=", "cmp"),
]
UNARY = [("neg", "-", "-"), ("invert", "~", "~"), ("not", "not ", "!")]

SEED = 20240611

# ---- C's integer rules (grammar/dialect.md) ----


def width(t):
    return TYPES[t][0]


def signed(t):
    return TYPES[t][1]


def tmin(t):
    return -(1 << (width(t) - 1)) if signed(t) else 0


def tmax(t):
    return (1 << (width(t) - 1)) - 1 if signed(t) else (1 << width(t)) - 1


def wrap(v, t):
    """v converted to type t (modulo 2**width, as C does for unsigned types
    and clang for signed ones)."""
    w = width(t)
    v &= (1 << w) - 1
    if signed(t) and v >> (w - 1):
        v -= 1 << w
    return v


def promote(t):
    return "c_int32" if width(t) < 32 else t


def common(a, b):
    """The usual arithmetic conversions."""
    a, b = promote(a), promote(b)
    if a == b:
        return a
    if signed(a) == signed(b):
        return a if width(a) > width(b) else b
    u, s = (a, b) if not signed(a) else (b, a)
    if width(u) >= width(s):
        return u
    return s  # here s is wider, so it holds every value of u


def tdiv(x, y):
    q = abs(x) // abs(y)
    return q if (x < 0) == (y < 0) else -q


def binary(op, ta, tb, x, y):
    """(value, its type, UB reason or None) of x OP y."""
    if op in ("<<", ">>"):
        t = promote(ta)
        w = width(t)
        ub = "shift-count" if y < 0 or y >= w else None
        c = y % w  # pybpf: the count modulo the width
        if op == "<<":
            r = x << c
            if ub is None and signed(t) and (x < 0 or r > tmax(t)):
                ub = "signed-shl-overflow"
            return wrap(r, t), t, ub
        return wrap(x >> c, t), t, ub
    t = common(ta, tb)
    x, y = wrap(x, t), wrap(y, t)
    ub = None
    if op in ("<", "<=", ">", ">=", "==", "!="):
        r = {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}[op]
        return int(r), "c_int32", None
    if op in ("+", "-", "*"):
        r = x + y if op == "+" else x - y if op == "-" else x * y
        if signed(t) and not tmin(t) <= r <= tmax(t):
            ub = "signed-overflow"
    elif op in ("/", "//"):
        if y == 0:
            r, ub = 0, "division-by-zero"  # BPF: x / 0 is 0
        elif signed(t) and x == tmin(t) and y == -1:
            r, ub = x, "signed-overflow"
        else:
            r = tdiv(x, y)
    elif op == "%":
        if y == 0:
            r, ub = x, "division-by-zero"  # BPF: x % 0 is x
        elif signed(t) and x == tmin(t) and y == -1:
            r, ub = 0, "signed-overflow"
        else:
            r = x - y * tdiv(x, y)
    elif op == "&":
        r = x & y
    elif op == "|":
        r = x | y
    elif op == "^":
        r = x ^ y
    else:
        raise ValueError(op)
    return wrap(r, t), t, ub


def unary(op, t, x):
    p = promote(t)
    if op == "-":
        r = -x
        ub = "signed-overflow" if signed(p) and r > tmax(p) else None
        return wrap(r, p), p, ub
    if op == "~":
        return wrap(~x, p), p, None
    return int(x == 0), "c_int32", None


# ---- inputs ----


def raw(v, t, dirty=False):
    """The u64 the driver stores for value v of type t; dirty sets bits above
    the type's width, which the cast in the program must drop."""
    w = width(t)
    r = v & M64
    if dirty and w < 64:
        r = (v & ((1 << w) - 1)) | (0xA5C3A5C3A5C3A5C3 << w & M64)
    return r


def edges(t):
    w = width(t)
    if signed(t):
        return [0, 1, -1, tmin(t), tmax(t), -2, 0x5A5A5A5A5A5A5A5A >> (64 - w + 1)]
    return [0, 1, tmax(t), 2, 1 << (w - 1), (1 << (w - 1)) - 1, 0x5A5A5A5A5A5A5A5A >> (64 - w)]


def div_edges(t, dividend):
    if dividend:
        vals = [0, 1, -1, 7, -7, 100, tmin(t), tmax(t), tmin(t) + 1]
    else:
        vals = [0, 1, -1, 2, -2, 3, -7, tmin(t), tmax(t)]
    return [wrap(v, t) for v in vals]


def shift_counts(ta, tb):
    w = width(promote(ta))
    vals = [0, 1, w - 1, w, w + 1, 31, 32, 33, 63, 64, 65, 255, 256, -1, -33, -64]
    return [wrap(v, tb) for v in vals]


def dedup(seq):
    seen, out = set(), []
    for v in seq:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out


def inputs_for(kind, ta, tb, rng, n):
    """n (a, b) raw pairs: the edge cross product, then random ones."""
    if kind == "div":
        xs, ys = dedup(div_edges(ta, True)), dedup(div_edges(tb, False))
    elif kind == "shift":
        w = width(ta)
        xs = dedup(wrap(v, ta) for v in [1, -1, 0x5A5A5A5A5A5A5A5A, tmin(ta), tmax(ta), 3 << (w - 2)])
        ys = dedup(shift_counts(ta, tb))
    elif kind == "unary":
        xs, ys = dedup(edges(ta)), [0]
    else:
        xs, ys = dedup(edges(ta)), dedup(edges(tb))
    pairs = []
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            pairs.append((raw(x, ta, (i + j) % 3 == 2), raw(y, tb, (i + j) % 3 == 1)))
    pairs = dedup(pairs)
    assert len(pairs) <= n - 8, (kind, ta, tb, len(pairs))
    while len(pairs) < n:
        a, b = rng.getrandbits(64), rng.getrandbits(64)
        if kind == "div" and rng.random() < 0.5:
            b = rng.randrange(-300, 300) & M64
        if kind == "shift":
            b = rng.randrange(-70, 140) & M64
        if rng.random() < 0.3:
            a = rng.randrange(-1000, 1000) & M64
        pairs.append((a, b))
    return pairs


# ---- writing the programs ----

PY_HEADER = '''\
# Generated by tests/arith/gen_arith.py from the pybpf sources: do not edit.
# {what}; inputs and expected values are in {stem}.txt.
from pybpf import bpf, map, section, struct, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_void_p, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64, c_uint64


@bpf
@struct
class pair:
    a: c_uint64
    b: c_uint64


@bpf
@map
def inputs() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=pair, max_entries={nin})


@bpf
@map
def results() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries={nres})


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
'''

C_HEADER = '''\
/* Generated by tests/arith/gen_arith.py from the pybpf sources: do not edit.
 * {what}; inputs and expected values are in {stem}.txt. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct pair {{
	unsigned long long a, b;
}};

struct {{
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct pair);
	__uint(max_entries, {nin});
}} inputs SEC(".maps");

struct {{
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, unsigned long long);
	__uint(max_entries, {nres});
}} results SEC(".maps");

char LICENSE[] SEC("license") = "GPL";

static __always_inline void put(__u32 key, unsigned long long value)
{{
	bpf_map_update_elem(&results, &key, &value, BPF_ANY);
}}
'''


def py_prog(name, kind, pyop, ta, tb, off, n):
    lines = [
        "",
        "",
        "@bpf",
        '@section("raw_tp/sys_enter")',
        f"def {name}(ctx: c_void_p) -> c_int32:",
        f"    for i in range({n}):",
        f"        k = {off} + i",
        "        p = inputs.lookup(k)",
        # every key exists; without this test the reads of p.a and p.b
        # (0 when p is None) give the verifier a path per iteration that
        # it does not prune, and the test takes twice as long
        "        if p is None:",
        "            return 1",
        f"        x = {ta}(p.a)",
    ]
    if kind == "unary":
        lines.append(f"        results.update(2 * k, c_uint64({pyop}x))")
        if pyop.strip() == "not":
            lines += [
                "        r: c_uint64 = 0",
                "        if not x:",
                "            r = 1",
                "        results.update(2 * k + 1, r)",
            ]
        else:
            lines += [f"        z: {ta} = {pyop}x", "        results.update(2 * k + 1, c_uint64(z))"]
    else:
        lines += [f"        y = {tb}(p.b)", f"        results.update(2 * k, c_uint64(x {pyop} y))"]
        if kind == "cmp":
            lines += [
                "        r: c_uint64 = 0",
                f"        if x {pyop} y:",
                "            r = 1",
                "        results.update(2 * k + 1, r)",
            ]
        else:
            lines += [
                f"        z: {ta} = x",
                f"        z {pyop}= y",
                "        results.update(2 * k + 1, c_uint64(z))",
            ]
    lines.append("    return 0")
    return "\n".join(lines) + "\n"


def c_prog(name, kind, cop, ta, tb, off, n):
    ca = TYPES[ta][2]
    out = [
        "",
        'SEC("raw_tp/sys_enter")',
        f"int {name}(void *ctx)",
        "{",
        f"\tfor (__u32 i = 0; i < {n}; i++) {{",
        f"\t\t__u32 k = {off} + i;",
        "\t\tstruct pair *p = bpf_map_lookup_elem(&inputs, &k);",
        # (p ? p->b : 0 instead would let clang assume that p is not NULL
        # once it divides by b, and leave registers uninitialised on that
        # path, which the verifier rejects)
        "\t\tif (!p)",
        "\t\t\treturn 1;",
        f"\t\t{ca} x = ({ca})p->a;",
    ]
    if kind != "unary":
        out.append(f"\t\t{TYPES[tb][2]} y = ({TYPES[tb][2]})p->b;")
    if kind == "unary":
        out.append(f"\t\tput(2 * k, (unsigned long long)({cop}x));")
        if cop == "!":
            out += ["\t\tunsigned long long r = 0;", "\t\tif (!x)", "\t\t\tr = 1;", "\t\tput(2 * k + 1, r);"]
        else:
            out += [f"\t\t{ca} z = {cop}x;", "\t\tput(2 * k + 1, (unsigned long long)z);"]
    else:
        out.append(f"\t\tput(2 * k, (unsigned long long)(x {cop} y));")
        if kind == "cmp":
            out += [
                "\t\tunsigned long long r = 0;",
                f"\t\tif (x {cop} y)",
                "\t\t\tr = 1;",
                "\t\tput(2 * k + 1, r);",
            ]
        else:
            out += [f"\t\t{ca} z = x;", f"\t\tz {cop}= y;", "\t\tput(2 * k + 1, (unsigned long long)z);"]
    out += ["\t}", "\treturn 0;", "}"]
    return "\n".join(out) + "\n"


def write_stem(outdir, stem, what, progs, n):
    """progs: (name, kind, pyop, cop, ta, tb, model) with model(x, y) ->
    (r0, r1, ub)."""
    nin = len(progs) * n
    py = [PY_HEADER.format(what=what, stem=stem, nin=nin, nres=2 * nin)]
    c = [C_HEADER.format(what=what, stem=stem, nin=nin, nres=2 * nin)]
    txt = [f"# {what}: prog NAME KIND OP LTYPE RTYPE / in IDX A B X Y R0 R1 UB\n"]
    for p, (name, kind, pyop, cop, ta, tb, model) in enumerate(progs):
        off = p * n
        py.append(py_prog(name, kind, pyop, ta, tb, off, n))
        c.append(c_prog(name, kind, cop, ta, tb, off, n))
        rng = random.Random(f"{SEED}-{name}")
        txt.append(f"prog {name} {kind} {pyop.strip()} {ta} {tb}\n")
        for i, (a, b) in enumerate(inputs_for(kind, ta, tb, rng, n)):
            x, y = wrap(a, ta), wrap(b, tb)
            r0, r1, ub = model(x, y)
            txt.append(f"in {off + i} {a:#x} {b:#x} {x} {y} {r0 & M64:#x} {r1 & M64:#x} {ub or '-'}\n")
    (outdir / f"{stem}.py").write_text("".join(py))
    (outdir / f"{stem}.c").write_text("".join(c))
    (outdir / f"{stem}.txt").write_text("".join(txt))


def plan():
    """[(stem, what, programs, inputs per program, needs -mcpu=v4 in C)]"""
    out = []
    for stem, pyop, cop, kind in BINARY:
        groups = {"": PAIRS}
        if kind == "div":
            # clang-19 rejects signed division below -mcpu=v4: keep the
            # signed programs apart so the unsigned ones compile at every CPU
            groups = {
                "_signed": [pr for pr in PAIRS if signed(common(*pr))],
                "_unsigned": [pr for pr in PAIRS if not signed(common(*pr))],
            }
        for suffix, pairs in groups.items():
            progs = []
            for ta, tb in pairs:

                def model(x, y, ta=ta, tb=tb, op=pyop, kind=kind):
                    v, _, ub = binary(op, ta, tb, x, y)
                    return v, (v if kind == "cmp" else wrap(v, ta)), ub

                name = f"{stem}_{TYPES[ta][3]}_{TYPES[tb][3]}"
                progs.append((name, kind, pyop, cop, ta, tb, model))
            n = {"shift": 104, "div": 96}.get(kind, 64)
            out.append((stem + suffix, f"operator {pyop} ({kind})", progs, n, suffix == "_signed"))
    for stem, pyop, cop in UNARY:
        progs = []
        for t in TYPES:

            def model(x, y, t=t, op=pyop.strip()):
                v, _, ub = unary(op, t, x)
                return v, (v if op == "not" else wrap(v, t)), ub

            progs.append((f"{stem}_{TYPES[t][3]}", "unary", pyop, cop, t, t, model))
        out.append((stem, f"unary {pyop.strip()}", progs, 16, False))
    return out


def main():
    if len(sys.argv) == 2 and sys.argv[1] == "--list":
        # for CMake: the stems, and which of them need -mcpu=v4 in C
        for stem, _, _, _, sdiv in plan():
            print(f"{stem} {'sdiv' if sdiv else '-'}")
        return
    if len(sys.argv) != 2:
        sys.exit("usage: gen_arith.py OUTDIR | --list")
    outdir = Path(sys.argv[1])
    outdir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for stem, what, progs, n, sdiv in plan():
        write_stem(outdir, stem, what, progs, n)
        manifest.append(f"{stem} {'sdiv' if sdiv else '-'}\n")
    (outdir / "manifest.txt").write_text("".join(manifest))


if __name__ == "__main__":
    main()
