#!/usr/bin/env python3
"""Generate compiler/helpers.def from libbpf's bpf_helper_defs.h.

Every BPF helper the installed libbpf declares becomes one line

    HELPER(name, id, RET, "signature", nargs, A1, A2, A3, A4, A5)

where RET is the return kind and A1..A5 the parameter kinds:

    R_VOID, R_PTR, R_<INT>      returns nothing, a pointer, an integer type
    A_<INT>                     an integer parameter (A_U32, A_S64, ...)
    A_MAP                       a map (`void *map`, `prog_array_map`, `ringbuf`)
    A_CTX                       the program's context (`void *ctx`, `skb`, ...)
    A_PTR / A_CPTR              memory the helper writes / only reads
    A_ADDR                      an address to read from (`unsafe_ptr`, `user_ptr`):
                                an integer argument is the address itself
    A_STR                       a constant C string (`const char *`)
    A_CALLBACK                  a @bpf function (`void *callback_fn`)
    A_SIZE                      the size of the buffer passed just before it
    A_FLAGS                     a `flags` integer (may be left out: 0)
    A_NONE                      no parameter

Helpers with variable arguments (bpf_trace_printk) are left out: print()
covers them. Usage: gen_helpers.py [HEADER] [OUTPUT]; with --check, compare
with OUTPUT instead of writing it (exit 1 when they differ).
"""
import re
import sys

HEADER = "/usr/include/bpf/bpf_helper_defs.h"
OUTPUT = "compiler/helpers.def"

INTS = {
    "__u8": "U8", "__u16": "U16", "__u32": "U32", "__u64": "U64",
    "__s8": "S8", "__s16": "S16", "__s32": "S32", "__s64": "S64",
    "u32": "U32", "u64": "U64", "int": "S32", "long": "S64",
    "unsigned int": "U32", "unsigned long": "U64", "long long": "S64",
    "unsigned long long": "U64", "__be16": "U16", "__be32": "U32",
    "__wsum": "U32", "_Bool": "U8", "__u16 ": "U16",
}
CTX_NAMES = {"ctx", "skb", "xdp_md", "regs", "bpf_sock", "msg", "reuse", "xdp", "skops"}
CTX_TYPES = {"struct __sk_buff", "struct xdp_md", "struct pt_regs", "struct sk_msg_md",
             "struct bpf_sock_ops", "struct sk_reuseport_md", "struct bpf_sock_addr",
             "struct bpf_perf_event_data", "struct bpf_sysctl"}
# Where the kernel disagrees with the header: the verifier leaves R0 unset
# after bpf_tail_call (it only returns when the call fails), so its result
# cannot be read.
RET_OVERRIDES = {"tail_call": "R_VOID"}
SIZE_NAMES = re.compile(r"(size|len|sz)(_of_buf)?$|^size_of|_size$|_len$")

DECL = re.compile(r"^static (?P<ret>.+?)\(\*(?: const)? ?bpf_(?P<name>\w+)\)\((?P<args>.*)\) = "
                  r"\(void \*\) (?P<id>\d+);$")


def split_param(p):
    """'const void *key' -> ('const void *', 'key')"""
    p = p.strip()
    m = re.match(r"^(.*?)(\w+)$", p)
    ctype, name = m.group(1).strip(), m.group(2)
    return ctype, name


def int_kind(ctype):
    t = ctype.replace("const ", "").strip()
    if t.startswith("enum "):
        return "U32"
    return INTS.get(t)


def param_kind(ctype, name, prev):
    base = ctype.replace("const ", "").strip()
    if "*" not in ctype:
        k = int_kind(ctype)
        if k is None:
            return None
        if name == "flags":
            return "A_FLAGS"
        if prev in ("A_PTR", "A_CPTR", "A_ADDR", "A_STR") and SIZE_NAMES.search(name):
            return "A_SIZE"
        return "A_" + k
    if name in ("map", "ringbuf") or name.endswith("_map"):
        return "A_MAP"
    if name == "callback_fn":
        return "A_CALLBACK"
    pointee = base.rstrip("*").strip()
    if name in CTX_NAMES and (pointee == "void" or pointee in CTX_TYPES):
        return "A_CTX"
    if pointee in CTX_TYPES:
        return "A_CTX"
    if name in ("unsafe_ptr", "user_ptr", "percpu_ptr"):
        return "A_ADDR"
    if ctype.startswith("const char *"):
        return "A_STR"
    return "A_CPTR" if ctype.startswith("const ") else "A_PTR"


def ret_kind(ctype):
    ctype = ctype.strip()
    if ctype == "void":
        return "R_VOID"
    if "*" in ctype:
        return "R_PTR"
    k = int_kind(ctype)
    return "R_" + k if k else None


def generate(header):
    lines = []
    skipped = []
    for line in open(header):
        m = DECL.match(line.strip())
        if not m:
            continue
        name, hid, args = m.group("name"), int(m.group("id")), m.group("args").strip()
        ret = RET_OVERRIDES.get(name) or ret_kind(m.group("ret"))
        if "..." in args or ret is None:
            skipped.append(name)
            continue
        params = [] if args == "void" else [split_param(a) for a in args.split(",")]
        kinds, prev = [], None
        for ctype, pname in params:
            k = param_kind(ctype, pname, prev)
            if k is None:
                break
            kinds.append(k)
            prev = k
        if len(kinds) != len(params) or len(kinds) > 5:
            skipped.append(name)
            continue
        sig = "bpf_%s(%s)" % (name, args)
        kinds += ["A_NONE"] * (5 - len(kinds))
        lines.append('HELPER(%s, %d, %s, "%s", %d, %s)'
                     % (name, hid, ret, sig, len(params), ", ".join(kinds)))
    head = [
        "/*",
        " * helpers.def - the BPF helpers of libbpf's bpf_helper_defs.h (libbpf-dev).",
        " * GENERATED by scripts/gen_helpers.py: do not edit; regenerate with",
        " *   python3 scripts/gen_helpers.py /usr/include/bpf/bpf_helper_defs.h compiler/helpers.def",
        " * HELPER(name, id, return kind, C signature, nargs, kind of each argument)",
        " * Left out (variable arguments or types pybpf cannot pass): "
        + (", ".join(skipped) if skipped else "none"),
        " */",
    ]
    return "\n".join(head + lines) + "\n"


def main():
    args = [a for a in sys.argv[1:] if a != "--check"]
    header = args[0] if args else HEADER
    output = args[1] if len(args) > 1 else OUTPUT
    text = generate(header)
    if "--check" in sys.argv:
        current = open(output).read()
        if current != text:
            print(f"{output} is out of date: run scripts/gen_helpers.py")
            print("0 passed, 1 failed")
            return 1
        print("1 passed, 0 failed")
        return 0
    with open(output, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
