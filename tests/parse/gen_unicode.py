#!/usr/bin/python3
"""Generates compiler/lex_unicode_data.h and compiler/lex_unicode_data.c: the
Unicode tables behind \\N{...} escapes and the NFKC normalisation of
identifiers (compiler/lex_unicode.c), taken from this interpreter's
unicodedata (CPython 3.11: Unicode 14.0).

Usage:
    /usr/bin/python3 tests/parse/gen_unicode.py [--out DIR]
        writes the two files into DIR (default: the repository's compiler/)
    /usr/bin/python3 tests/parse/gen_unicode.py --check
        regenerates into a temporary directory and compares with compiler/
        (exit 1 when they differ; the compressed tables are compared once
        inflated, so another zlib's deflate output still passes)
    /usr/bin/python3 tests/parse/gen_unicode.py --verify BUILD/pybpf-parse
        exhaustive differential test against CPython: every character name
        and alias, every Hangul syllable and CJK unified ideograph name in
        \\N{...}, malformed names, and NFKC of every identifier character and
        of generated combining sequences (parse_diff.py on generated files)

The tables are deflated by Python's zlib (raw deflate, RFC 1951) and written
as base64 string literals; lex_unicode.c inflates them on first use (lex_inflate.c). Two
blobs:

names: one record per name, sorted by code point (a character's name before
    its aliases): the code point minus the previous record's (LEB128), the
    length of the prefix shared with the previous record's name (one byte;
    0 every LEX_NAMES_BLOCK records, so a record can be decoded starting at
    the block that holds it), the rest of the name, a NUL byte. The names are
    CPython's: every character name unicodedata.name() gives, except the
    algorithmic CJK UNIFIED IDEOGRAPH-XXXX and HANGUL SYLLABLE names, plus
    the name aliases unicodedata.lookup() and \\N{...} accept (NameAliases.txt,
    read from CPython's own table through the unicodedata._ucnhash_CAPI
    capsule). Named sequences are left out: \\N{...} rejects them.

nfkc: LEX_NFKC_WORDS 32-bit words stored as four planes (the low bytes of all
    words, then the second bytes, ...), which deflate well. In word order:
      nfkd_cp[LEX_NFKD_COUNT]       code points whose NFKD differs (sorted,
                                    Hangul syllables excluded: algorithmic)
      nfkd_off[LEX_NFKD_COUNT + 1]  where each one's NFKD starts in nfkd_data
      nfkd_data[LEX_NFKD_DATA]      the full (recursive) decompositions
      ccc_lo[LEX_CCC_COUNT]         ranges of equal nonzero combining class:
      ccc_hi[LEX_CCC_COUNT]         first code point, last | class << 24
      comp_first[LEX_COMP_COUNT]    canonical compositions, sorted by
      comp_second[LEX_COMP_COUNT]   (first, second); the composition
      comp_result[LEX_COMP_COUNT]   exclusions are left out
"""
import argparse
import base64
import codecs
import ctypes
import difflib
import os
import random
import re
import subprocess
import sys
import tempfile
import unicodedata
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FILES = ("lex_unicode_data.h", "lex_unicode_data.c")

NAMES_BLOCK = 32
B64_LINE = 88  # base64 characters per source line (a multiple of 4)

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
CJK_PREFIX = "CJK UNIFIED IDEOGRAPH-"
HANGUL_PREFIX = "HANGUL SYLLABLE "
NAME_CHARS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -")


def is_algorithmic(name):
    return name.startswith(CJK_PREFIX) or name.startswith(HANGUL_PREFIX)


# ---- names ----

def name_aliases():
    """[(code point, alias)] from CPython's name table: aliases occupy
    private-use code points from U+F0000 on, which the C API's getname()
    (with_alias_and_seq=1) names; named sequences start at U+F0200."""
    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    ptr = get_pointer(unicodedata._ucnhash_CAPI, b"unicodedata._ucnhash_CAPI")
    getname_t = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_uint32, ctypes.c_char_p, ctypes.c_int,
                                 ctypes.c_int)

    class NameCAPI(ctypes.Structure):  # _PyUnicode_Name_CAPI (3.11)
        _fields_ = [("getname", getname_t), ("getcode", ctypes.c_void_p)]

    api = NameCAPI.from_address(ptr)
    buf = ctypes.create_string_buffer(256)
    out = []
    for i in range(0x200):
        if not api.getname(0xF0000 + i, buf, len(buf), 1):
            break
        alias = buf.value.decode("ascii")
        cp = ord(unicodedata.lookup(alias))
        assert codecs.decode("\\N{%s}" % alias, "unicode_escape") == chr(cp), alias
        out.append((cp, alias))
    assert len(out) > 400, "no name aliases found"
    return out


def name_records():
    """[(code point, name)] sorted as the names blob stores them."""
    recs = []
    for cp in range(0x110000):
        name = unicodedata.name(chr(cp), None)
        if name is None or is_algorithmic(name):
            continue
        assert unicodedata.lookup(name) == chr(cp), name
        recs.append((cp, 0, name))
    for i, (cp, alias) in enumerate(name_aliases()):
        recs.append((cp, 1 + i, alias))
    recs.sort()
    assert len(recs) < 0xFFFF  # hash slots are 16-bit
    for _, _, name in recs:  # lex_unicode.c compares them in capitals
        assert name and all(c in NAME_CHARS for c in name), name
    return [(cp, name) for cp, _, name in recs]


def names_blob(recs):
    out = bytearray()
    prev_cp, prev = 0, ""
    for i, (cp, name) in enumerate(recs):
        d = cp - prev_cp
        while d >= 0x80:
            out.append(0x80 | (d & 0x7F))
            d >>= 7
        out.append(d)
        k = 0
        if i % NAMES_BLOCK:
            while k < min(len(prev), len(name), 255) and prev[k] == name[k]:
                k += 1
        out.append(k)
        out += name[k:].encode("ascii")
        out.append(0)
        prev_cp, prev = cp, name
    return bytes(out)


def ranges(cps):
    out = []
    for cp in cps:
        if out and out[-1][1] == cp - 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def cjk_unified_ranges():
    cps = [cp for cp in range(0x110000)
           if unicodedata.name(chr(cp), "").startswith(CJK_PREFIX)]
    for cp in cps:
        assert unicodedata.name(chr(cp)) == CJK_PREFIX + "%04X" % cp
    return ranges(cps)


def check_hangul():
    for cp in range(0x110000):
        name = unicodedata.name(chr(cp), "")
        assert name.startswith(HANGUL_PREFIX) == (HANGUL_FIRST <= cp <= HANGUL_LAST), hex(cp)


# ---- NFKC ----

def nfkc_tables():
    nfkd = {}
    for cp in range(0x110000):
        if HANGUL_FIRST <= cp <= HANGUL_LAST or 0xD800 <= cp <= 0xDFFF:
            continue
        d = unicodedata.normalize("NFKD", chr(cp))
        if d != chr(cp):
            nfkd[cp] = [ord(c) for c in d]
    ccc = []
    for cp in range(0x110000):
        c = unicodedata.combining(chr(cp))
        if not c:
            continue
        if ccc and ccc[-1][1] == cp - 1 and ccc[-1][2] == c:
            ccc[-1][1] = cp
        else:
            ccc.append([cp, cp, c])
    comp = []
    for cp in range(0x110000):
        d = unicodedata.decomposition(chr(cp)).split()
        if len(d) != 2 or d[0].startswith("<"):
            continue
        # a primary composite (not a composition exclusion) is its own NFC
        if unicodedata.normalize("NFC", chr(cp)) != chr(cp):
            continue
        first, second = int(d[0], 16), int(d[1], 16)
        assert unicodedata.combining(chr(first)) == 0, hex(cp)
        comp.append((first, second, cp))
    comp.sort()
    keys = sorted(nfkd)
    off, data = [0], []
    for k in keys:
        data += nfkd[k]
        off.append(len(data))
    words = (keys + off + data + [r[0] for r in ccc] + [r[1] | r[2] << 24 for r in ccc]
             + [c[0] for c in comp] + [c[1] for c in comp] + [c[2] for c in comp])
    planes = bytes((w >> (8 * i)) & 0xFF for i in range(4) for w in words)
    counts = {"NFKD_COUNT": len(keys), "NFKD_DATA": len(data), "CCC_COUNT": len(ccc),
              "COMP_COUNT": len(comp), "NFKC_WORDS": len(words)}
    return planes, counts


# ---- output ----

def pad(col, target):
    """Whitespace from column col to target as clang-format writes it with
    UseTab: Always: a tab wherever it reaches a tab stop, then spaces, but a
    lone space stays a space."""
    if target - col == 1:
        return " "
    out = ""
    while (col // 8 + 1) * 8 <= target:
        out += "\t"
        col = (col // 8 + 1) * 8
    return out + " " * (target - col)


def aligned(rows, indent=0):
    """Lines (text, trailer) with the trailers aligned one column after the
    longest text, as clang-format aligns macros and trailing comments."""
    width = max(indent + len(text) for text, _ in rows) + 1
    return "\n".join("\t" * (indent // 8) + text + pad(indent + len(text), width) + trailer
                     for text, trailer in rows)


def b64_literal(data):
    z = zlib.compressobj(9, zlib.DEFLATED, -15, 9)  # raw deflate (lex_inflate.c)
    text = base64.b64encode(z.compress(data) + z.flush()).decode("ascii")
    lines = [text[i:i + B64_LINE] for i in range(0, len(text), B64_LINE)]
    return "\n".join('\t"%s"' % line for line in lines)


def generate():
    version = unicodedata.unidata_version
    check_hangul()
    recs = name_records()
    names = names_blob(recs)
    cjk = cjk_unified_ranges()
    planes, counts = nfkc_tables()
    hash_size = 1
    while hash_size < len(recs) * 3 // 2:
        hash_size *= 2
    names_defs = aligned([("#define LEX_NAMES_COUNT", str(len(recs))),
                          ("#define LEX_NAMES_SIZE", str(len(names))),
                          ("#define LEX_NAMES_MAX", str(max(len(n) for _, n in recs))),
                          ("#define LEX_NAMES_BLOCK", str(NAMES_BLOCK)),
                          ("#define LEX_NAMES_HASH", str(hash_size))])
    nfkc_defs = aligned([("#define LEX_" + k, str(v)) for k, v in counts.items()])
    cjk_rows = aligned([("{0x%X, 0x%X}," % (lo, hi), "/* %d */" % (hi - lo + 1))
                        for lo, hi in cjk], 8)
    header = f"""/*
 * lex_unicode_data.h - the Unicode tables of lex_unicode.c.
 *
 * GENERATED by tests/parse/gen_unicode.py from Unicode {version} (CPython 3.11's
 * unicodedata), which describes the formats. Regenerate instead of editing.
 */
#ifndef PYBPF_LEX_UNICODE_DATA_H
#define PYBPF_LEX_UNICODE_DATA_H

#define LEX_UNICODE_VERSION "{version}"

/* Character names and aliases: LEX_NAMES_COUNT records, LEX_NAMES_SIZE bytes
 * once inflated, none longer than LEX_NAMES_MAX; the prefix coding restarts
 * every LEX_NAMES_BLOCK records. LEX_NAMES_HASH is a power of two, at least
 * 1.5 times the number of records. */
{names_defs}
extern const char lex_names_z[];

/* The code points named CJK UNIFIED IDEOGRAPH-XXXX, as ranges lo..hi. */
#define LEX_CJK_UNIFIED_COUNT {len(cjk)}
extern const unsigned lex_cjk_unified[LEX_CJK_UNIFIED_COUNT][2];

/* NFKC: decompositions, combining classes and compositions in
 * LEX_NFKC_WORDS 32-bit words. */
{nfkc_defs}
extern const char lex_nfkc_z[];

#endif
"""
    source = f"""/*
 * lex_unicode_data.c - the Unicode tables of lex_unicode.c, deflated and
 * base64-encoded (lex_unicode_data.h).
 *
 * GENERATED by tests/parse/gen_unicode.py from Unicode {version} (CPython 3.11's
 * unicodedata), which describes the formats. Regenerate instead of editing.
 */
#include "lex_unicode_data.h"

/* first, last, and how many */
const unsigned lex_cjk_unified[LEX_CJK_UNIFIED_COUNT][2] = {{
{cjk_rows}
}};

/* {len(names)} bytes of names, deflated */
const char lex_names_z[] =
{b64_literal(names)};

/* {len(planes)} bytes of NFKC tables, deflated */
const char lex_nfkc_z[] =
{b64_literal(planes)};
"""
    return {FILES[0]: header, FILES[1]: source}


def write(outdir):
    for name, text in generate().items():
        with open(os.path.join(outdir, name), "w") as f:
            f.write(text)


def inflated(text):
    """The C source with each base64 literal replaced by its inflated bytes,
    so that another zlib's deflate output still counts as up to date."""
    def blob(m):
        b64 = "".join(re.findall(r'"([^"]*)"', m.group(2)))
        try:
            data = zlib.decompress(base64.b64decode(b64), -15)
        except (ValueError, zlib.error):
            return m.group(0)
        return "%s%r;" % (m.group(1), data)
    return re.sub(r'(const char \w+\[\] =)((?:\s*"[^"]*")+);', blob, text)


def check():
    with tempfile.TemporaryDirectory() as tmp:
        write(tmp)
        stale = 0
        for name in FILES:
            with open(os.path.join(tmp, name)) as f:
                want = f.read()
            path = os.path.join(ROOT, "compiler", name)
            try:
                with open(path) as f:
                    got = f.read()
            except OSError:
                got = ""
            if got != want and inflated(got) != inflated(want):
                stale += 1
                print("out of date: compiler/%s (run tests/parse/gen_unicode.py)" % name)
                diff = difflib.unified_diff(got.splitlines(), want.splitlines(),
                                            "compiler/" + name, "regenerated", lineterm="")
                for line in list(diff)[:10]:
                    print("    " + line[:120])
    print("%d passed, %d failed" % (len(FILES) - stale, stale))
    return 1 if stale else 0


# ---- exhaustive differential test ----

def verify_cases():
    """{file name: source}: files parse_diff.py compares with CPython."""
    files = {}
    recs = name_records()

    def chunks(prefix, lines, size=4000):
        for i in range(0, len(lines), size):
            files["%s_%03d.py" % (prefix, i // size)] = "".join(lines[i:i + size])

    chunks("names", ['x = "\\N{%s}"\n' % n for _, n in recs])
    chunks("names_lower", ['x = "\\N{%s}"\n' % n.lower() for _, n in recs[::3]])
    chunks("names_fstring", ["x = f'\\N{%s}{x}'\n" % n.title() for _, n in recs[1::7]])
    algo = [unicodedata.name(chr(cp)) for cp in range(HANGUL_FIRST, HANGUL_LAST + 1)]
    for lo, hi in cjk_unified_ranges():
        algo += [CJK_PREFIX + "%X" % cp for cp in range(lo, hi + 1)]
        algo += [CJK_PREFIX + "%05X" % lo, CJK_PREFIX + "%05X" % hi]
    chunks("algorithmic", ['x = "\\N{%s}"\n' % n for n in algo], 8000)
    # names CPython rejects: one file each (the first error stops a file)
    bad = ["hangul syllable ga", "Hangul Syllable GA", "HANGUL SYLLABLE ga", "HANGUL SYLLABLE ",
           "HANGUL SYLLABLE", "HANGUL SYLLABLE GAX", "HANGUL SYLLABLE GAGGG", "HANGUL SYLLABLE X",
           "HANGUL SYLLABLE  GA", "cjk unified ideograph-4E00", "CJK UNIFIED IDEOGRAPH-4e00",
           "CJK UNIFIED IDEOGRAPH-4E0", "CJK UNIFIED IDEOGRAPH-004E00",
           "CJK UNIFIED IDEOGRAPH-9FFF0", "CJK UNIFIED IDEOGRAPH-2A6E0",
           "CJK UNIFIED IDEOGRAPH-3134B", "CJK UNIFIED IDEOGRAPH-", "CJK UNIFIED IDEOGRAPH",
           "CJK UNIFIED IDEOGRAPH-+4E0", "CJK UNIFIED IDEOGRAPH- 4E0", "TANGUT IDEOGRAPH-17000",
           "LATIN CAPITAL LETTER A WITH MACRON AND GRAVE", "KEYCAP NUMBER SIGN", "LATIN SMALL",
           "LATIN SMALL LETTER A ", " LATIN SMALL LETTER A", "LATIN  SMALL LETTER A",
           "LATIN SMALL LETTER A\\u0041", "LATIN SMALL LETTER \u00c0", "x" * 300, "DIGIT ZER0",
           "NULL\t", "DIGIT-ZERO", "<control>", "<CJK Ideograph>", "SPACE}"]
    for i, n in enumerate(bad):
        files["bad_%02d.py" % i] = 'x = 1\ny = "ab\\N{%s}"\n' % n
    # NFKC: every identifier character alone and after "a", then random
    # sequences of the characters NFKC moves or merges
    start = [chr(cp) for cp in range(0x80, 0x110000) if chr(cp).isidentifier()]
    cont = [chr(cp) for cp in range(0x80, 0x110000) if ("a" + chr(cp)).isidentifier()]
    ids = start + ["a" + c for c in cont] + ["_" + c + c for c in cont]
    rnd = random.Random(3131)
    interesting = [c for c in cont
                   if unicodedata.combining(c) or unicodedata.decomposition(c)
                   or 0x1100 <= ord(c) <= 0x11FF or unicodedata.normalize("NFKC", c) != c
                   or any(unicodedata.normalize("NFC", c + m) != c + m for m in "\u0301\u0308")]
    interesting += ["\u0301", "\u0308", "\u0323", "\u0338", "\u1100", "\u1161", "\u11a8",
                    "\uac00", "\uac01", "\u0b47", "\u0b3e", "\u0b57", "\u09c7", "\u09be", "e",
                    "a", "o", "u"]
    for _ in range(60000):
        ids.append("x" + "".join(rnd.choice(interesting) for _ in range(rnd.randint(1, 6))))
    chunks("nfkc", ["%s = 0\n" % i for i in ids], 6000)
    return files


def verify(parser):
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in verify_cases().items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8") as f:
                f.write(text)
        return subprocess.run([sys.executable, os.path.join(HERE, "parse_diff.py"), "--parser",
                               parser, tmp]).returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=os.path.join(ROOT, "compiler"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--verify", metavar="PARSER")
    args = ap.parse_args()
    if args.check:
        return check()
    if args.verify:
        return verify(args.verify)
    write(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
