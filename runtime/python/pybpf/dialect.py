"""The BPF dialect under CPython: decorators that mark what the compiler compiles.

A pybpf (or pythonbpf) file is ordinary Python: running it with ``python3``
executes the decorators below, which only mark the definitions; the compiler
(``pybpf compile``, ``compile()``, ``BPF()``) reads the source and compiles
them. BPF code never runs in CPython: calling a program, subprogram, map,
global or helper raises :class:`BpfOnlyError`.

``@struct`` classes become ``ctypes.Structure`` classes with the same
layout, so userspace code can decode records (``event.from_buffer_copy``).
"""

import ctypes
import functools

from . import _pybpf

__all__ = ["bpf", "section", "map", "bpfglobal", "struct", "BpfOnlyError", "CompileError",
           "BpfDefinition"]

CompileError = _pybpf.compile_error_type()


class BpfOnlyError(RuntimeError):
    """BPF code (a program, map, helper...) was called from CPython."""


def bpf_only(what):
    """Raises BpfOnlyError explaining that `what` exists only in BPF code."""
    raise BpfOnlyError(
        f"{what} is BPF code: it runs in the kernel once the file is compiled and loaded "
        "(pybpf.BPF(), `pybpf run`), not in CPython")


@functools.lru_cache(maxsize=None)
def compiler_tables():
    """The compiler's own name tables (see _pybpf.compiler_tables())."""
    return _pybpf.compiler_tables()


def module_names(module_id):
    """(name, symbol kind, detail) of every name the compiler gives a module."""
    return [(n, kind, detail) for mod, n, kind, detail in compiler_tables()["names"]
            if mod == module_id]


class BpfDefinition:
    """A @bpf definition: a program (``@section``), map, global or subprogram.

    kind is "program", "map", "global" or "function"; section the ELF section
    of a program; name the name it has in the object; bpf whether @bpf was
    applied (the compiler ignores kind decorators without it)."""

    def __init__(self, func, kind, section=None):
        functools.update_wrapper(self, func)
        self.func, self.kind, self.section, self.name, self.bpf = \
            func, kind, section, func.__name__, False

    def __call__(self, *args, **kwargs):
        bpf_only(f"{self.kind} '{self.name}'")

    def __getattr__(self, attr):  # map methods: last.update(...), last.lookup(...)
        if attr.startswith("_") or self.kind != "map":
            raise AttributeError(attr)
        return lambda *a, **k: bpf_only(f"'{self.name}.{attr}()'")

    def __repr__(self):
        where = f" in section '{self.section}'" if self.section else ""
        return f"<BPF {self.kind} '{self.name}'{where}>"


def _mark(kind, section=None):
    def decorate(obj):
        if isinstance(obj, BpfDefinition):
            raise TypeError(f"'{obj.name}' has two kind decorators; use one of @section, "
                            "@map, @struct, @bpfglobal under @bpf")
        if not callable(obj):
            raise TypeError(f"@{kind} decorates a function, not {type(obj).__name__}")
        return BpfDefinition(obj, kind, section)
    return decorate


def section(name):
    """@section("tracepoint/...") makes a function a BPF program in that ELF section."""
    if not isinstance(name, str):
        raise TypeError("@section takes the ELF section name: @section(\"xdp\")")
    return _mark("program", name)


map = _mark("map")
map.__name__, map.__doc__ = "map", "@map: the function's return value declares a BPF map."
bpfglobal = _mark("global")
bpfglobal.__name__, bpfglobal.__doc__ = "bpfglobal", "@bpfglobal: a BPF global variable."


def bpf(obj):
    """@bpf marks a definition for the compiler; it must be the outermost decorator."""
    if isinstance(obj, type):
        obj.__pybpf_bpf__ = True
        return obj
    if not isinstance(obj, BpfDefinition):
        obj = BpfDefinition(obj, "function")  # a subprogram
    obj.bpf = True
    return obj


# ---- @struct: a ctypes.Structure with the layout the compiler gives it ----

_SCALARS = {int: ctypes.c_int64, bool: ctypes.c_bool}


def _ctype_of(annotation):
    """The ctypes type of a field annotation, or None when it has none."""
    if isinstance(annotation, str) and annotation.isdigit():  # str(16): char[16]
        return ctypes.c_char * int(annotation)
    annotation = _SCALARS.get(annotation, annotation)
    if isinstance(annotation, type) and issubclass(
            annotation, (ctypes._SimpleCData, ctypes.Structure, ctypes.Array)):
        return annotation
    return None


def struct(cls):
    """@struct: a C struct from the class's annotated fields.

    Returns a ctypes.Structure subclass with those fields (so userspace can
    build and decode records), or the class itself, marked, when a field's
    type has no ctypes equivalent (e.g. a kernel type)."""
    if not isinstance(cls, type):
        raise TypeError("@struct decorates a class")
    annotations = cls.__dict__.get("__annotations__", {})
    fields = [(name, _ctype_of(ann)) for name, ann in annotations.items()]
    if fields and all(t is not None for _, t in fields):
        body = {k: v for k, v in cls.__dict__.items()
                if k not in annotations and k not in ("__dict__", "__weakref__")}
        body["_fields_"] = fields
        cls = type(cls.__name__, (ctypes.Structure,), body)
    cls.__pybpf_kind__ = "struct"
    return cls


# pythonbpf's compile_to_ir() is a pybpf name too (compiler/builtins.def);
# pybpf/__init__.py takes compile and BPF from oneshot, this the rest.
from .oneshot import compile_to_ir  # noqa: E402

__all__.append("compile_to_ir")
