"""BPF helper names (pybpf.helper; also pybpf.helpers).

Generated from the compiler's tables: pybpf's own helpers (ktime, pid,
atomics...) and constants from compiler/builtins.def, and every kernel
helper of compiler/helpers.def under its kernel name with and without the
``bpf_`` prefix. They exist only in BPF code: calling one from CPython
raises BpfOnlyError.
"""

from .dialect import bpf_only, compiler_tables, module_names


def _stub(name, doc):
    def helper(*args, **kwargs):
        bpf_only(f"helper '{name}()'")
    helper.__name__ = helper.__qualname__ = name
    helper.__doc__ = doc
    helper.__module__ = __name__
    return helper


def _build():
    ns = {}
    for name, kind, detail in module_names("MOD_HELPER"):
        ns[name] = int(detail) if kind == "SYM_CONST" else _stub(name, f"pybpf builtin {name}()")
    for name, helper_id, signature in compiler_tables()["helpers"]:
        for spelling in (name, "bpf_" + name):
            if spelling not in ns:
                ns[spelling] = _stub(spelling, f"BPF helper {helper_id}: {signature}")
    return ns


globals().update(_build())
__all__ = sorted(n for n in globals() if not n.startswith("_")
                 and n not in ("bpf_only", "compiler_tables", "module_names"))
del _build
