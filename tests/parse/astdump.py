#!/usr/bin/python3
"""Prints pybpf's stable AST and token dumps, computed from CPython itself.

    astdump.py [--tokens] FILE

--ast (the default) parses FILE with CPython's ast module and prints the tree
in the format of compiler/ast.c (ast_dump): one node per line, two spaces of
indent per level, `Kind@line:col-end_line:end_col` for nodes with positions,
`field: value` lines in ASDL `_fields` order. Strings print as the bytes of
their UTF-8 form (lone surrogates as "surrogatepass" bytes) in double quotes,
printable ASCII kept, `"` and `\\` escaped, other bytes as \\xNN. Constants
print as `int N`, `float 0x<IEEE bits>`, `complex 0x<bits of imag>`,
`str "..."`, `bytes "..."`, `None`, `True`, `False`, `Ellipsis`.

--tokens prints the token stream of the tokenize module in the format of
compiler/dump.c: `KIND line:col-end_line:end_col "text"`, exact operator
names, no ENCODING/COMMENT/NL. tokenize counts columns in characters; they
are converted to UTF-8 byte offsets. A "\\r\\n" NEWLINE is printed as "\\n".

On a syntax error it prints `error: LINE: message` to stderr and exits 1.
Standard library only; run it with /usr/bin/python3 (CPython 3.11).
"""
import ast
import io
import struct
import sys
import token
import tokenize


def quote(b):
    out = ['"']
    for c in b:
        if c in (0x22, 0x5C):
            out.append("\\" + chr(c))
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    out.append('"')
    return "".join(out)


def qstr(s):
    return "None" if s is None else quote(s.encode("utf-8", "surrogatepass"))


def fbits(f):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", f))[0]


def const(v):
    if v is None:
        return "None"
    if v is True:
        return "True"
    if v is False:
        return "False"
    if v is Ellipsis:
        return "Ellipsis"
    if isinstance(v, int):
        return "int %d" % v
    if isinstance(v, float):
        return "float " + fbits(v)
    if isinstance(v, complex):
        return "complex " + fbits(v.imag)
    if isinstance(v, str):
        return "str " + qstr(v)
    if isinstance(v, bytes):
        return "bytes " + quote(v)
    raise TypeError("unexpected constant %r" % (v,))


def head(node):
    name = type(node).__name__
    if "lineno" in node._attributes:
        return "%s@%d:%d-%d:%d" % (name, node.lineno, node.col_offset,
                                   node.end_lineno, node.end_col_offset)
    return name


def dump_node(out, node, depth):
    out.append(head(node))
    for field in node._fields:
        value = getattr(node, field, None)
        prefix = "  " * depth + field + ": "
        if field == "value" and isinstance(node, (ast.Constant, ast.MatchSingleton)):
            out.append(prefix + const(value))
        elif isinstance(value, (ast.expr_context, ast.boolop, ast.operator,
                                ast.unaryop, ast.cmpop)):
            out.append(prefix + type(value).__name__)
        elif isinstance(value, ast.AST):
            out.append(prefix)
            dump_node_inline(out, value, depth + 1)
        elif isinstance(value, list):
            if value and all(isinstance(v, str) for v in value):
                out.append(prefix + "[" + ", ".join(qstr(v) for v in value) + "]")
            elif value and all(isinstance(v, ast.cmpop) for v in value):
                out.append(prefix + "[" + ", ".join(type(v).__name__ for v in value) + "]")
            elif not value:
                out.append(prefix + "[]")
            else:
                out.append(prefix + "[")
                for item in value:
                    if item is None:
                        out.append("  " * (depth + 1) + "None")
                    else:
                        out.append("  " * (depth + 1))
                        dump_node_inline(out, item, depth + 2)
                out.append("  " * depth + "]")
        elif value is None or isinstance(value, str):
            out.append(prefix + qstr(value))
        elif isinstance(value, int):
            out.append(prefix + "%d" % value)
        else:
            raise TypeError("unexpected field %s=%r" % (field, value))


def dump_node_inline(out, node, depth):
    """Appends node's head to the last line (which holds the prefix)."""
    sub = []
    dump_node(sub, node, depth)
    out[-1] += sub[0]
    out.extend(sub[1:])


def ast_dump(source):
    tree = ast.parse(source)
    out = []
    dump_node(out, tree, 1)
    return "\n".join(out) + "\n"


def token_dump(source):
    text_lines = io.BytesIO(source).readlines()
    enc, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
    lines = [l.decode(enc, "replace") for l in text_lines]

    def bcol(row, col):
        if 1 <= row <= len(lines):
            return len(lines[row - 1][:col].encode("utf-8"))
        return col

    out = []
    for tok in tokenize.tokenize(io.BytesIO(source).readline):
        if tok.type in (tokenize.ENCODING, tokenize.COMMENT, tokenize.NL):
            continue
        kind = token.tok_name[tok.exact_type]
        text = tok.string
        if tok.type == tokenize.NEWLINE and text == "\r\n":
            text = "\n"
        (r1, c1), (r2, c2) = tok.start, tok.end
        out.append("%s %d:%d-%d:%d %s" % (kind, r1, bcol(r1, c1), r2, bcol(r2, c2),
                                          quote(text.encode("utf-8", "surrogatepass"))))
    return "\n".join(out) + "\n"


def main(argv):
    mode = "--ast"
    if len(argv) == 3 and argv[1] in ("--ast", "--tokens"):
        mode, path = argv[1], argv[2]
    elif len(argv) == 2:
        path = argv[1]
    else:
        sys.stderr.write("usage: astdump.py [--ast|--tokens] FILE\n")
        return 2
    with open(path, "rb") as f:
        source = f.read()
    try:
        text = ast_dump(source) if mode == "--ast" else token_dump(source)
    except SyntaxError as e:
        sys.stderr.write("error: %s: %s\n" % (e.lineno, e.msg))
        return 1
    except (ValueError, tokenize.TokenError) as e:
        sys.stderr.write("error: None: %s\n" % e)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
