"""Map classes and map flags of the BPF dialect (pybpf.maps).

Generated from the compiler's tables (compiler/maps.def, builtins.def), so
every class and constant the compiler knows exists here, and nothing else.
Under CPython a map class only records its arguments; its methods exist
only in BPF code.
"""

from .dialect import bpf_only, compiler_tables, module_names


class MapClass:
    """Base of the map classes: `map_type` is the BPF_MAP_TYPE_* value."""

    map_type = None
    family = None

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return lambda *a, **k: bpf_only(f"'{type(self).__name__}.{attr}()'")

    def __repr__(self):
        args = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{type(self).__name__}({', '.join(args)})"


def _build():
    ns = {}
    by_id = {}
    for map_id, name, type_id, family in compiler_tables()["maps"]:
        ns[name] = by_id["MAPC_" + map_id] = type(
            name, (MapClass,), {"map_type": type_id, "family": family, "__module__": __name__,
                                "__doc__": f"BPF_MAP_TYPE value {type_id} ({family})."})
    for name, kind, detail in module_names("MOD_MAPS"):
        if kind == "SYM_CONST":
            ns[name] = int(detail)
        elif kind == "SYM_MAPCLASS" and name not in ns:  # an alias (RingBuf)
            ns[name] = by_id[detail]
    return ns


globals().update(_build())
__all__ = sorted(n for n, _, _ in module_names("MOD_MAPS")) + ["MapClass"]
del _build
