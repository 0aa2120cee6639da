"""One-shot use from the program's own file, as pythonbpf does.

    compile()            # at the end of prog.py: writes prog.bpf.o next to it
    b = BPF()            # compiles prog.py in memory; then
    b.load(); b.attach_all()      # or b.load_and_attach()
    print(b["counts"].items())

Both compile the *calling* file (found from the caller's frame), in this
process, with the compiler linked into the _pybpf extension; BPF() writes no
file at all.
"""

import linecache
import logging
import os
import sys

from . import _pybpf
from .dialect import BpfDefinition, CompileError

__all__ = ["compile", "compile_to_ir", "compile_source", "BPF", "CompileError"]

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_SHIM_DIR = os.path.join(os.path.dirname(_PACKAGE_DIR), "pythonbpf")


def _caller_file():
    """The file of the first frame outside pybpf/pythonbpf."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        here = os.path.dirname(os.path.abspath(name))
        if here not in (_PACKAGE_DIR, _SHIM_DIR):
            return name
        frame = frame.f_back
    raise ValueError("cannot find the calling file; pass path=")


def _read_source(path):
    """The source of path: from disk, else from linecache (notebooks, the REPL)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        lines = linecache.getlines(path)
        if not lines:
            raise FileNotFoundError(f"cannot read the source of '{path}'; pass path= or text=")
        return "".join(lines).encode()


def _report(warnings, loglevel):
    if warnings and (loglevel is None or loglevel <= logging.WARNING):
        sys.stderr.write(warnings if warnings.endswith("\n") else warnings + "\n")


def compile_source(source, filename="<input>", *, opt=2, mcpu=None, emit="obj",
                   loglevel=logging.WARNING):
    """Compiles source (str or bytes) in memory; returns the object bytes (or
    the LLVM IR / assembly text for emit="llvm"/"asm"). Warnings go to stderr
    unless loglevel is above logging.WARNING; errors raise CompileError."""
    output, warnings = _pybpf.compile(source, filename, opt=opt, mcpu=mcpu, emit=emit)
    _report(warnings, loglevel)
    return output


def _write_atomically(path, data):
    """Writes data to path through a temporary file in the same directory, so
    path is never a partial file."""
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "wb") as f:
            f.write(data.encode() if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _compile_to_file(path, output, suffix, emit, opt, mcpu, loglevel):
    path = os.fspath(path) if path is not None else _caller_file()
    if output is None:
        output = (path[:-3] if path.endswith(".py") else path) + suffix
    output = os.fspath(output)
    try:
        data = compile_source(_read_source(path), path, opt=opt, mcpu=mcpu, emit=emit,
                              loglevel=loglevel)
    except CompileError:
        # As `pybpf compile -o`: a failed compilation leaves no (stale) output.
        try:
            os.unlink(output)
        except FileNotFoundError:
            pass
        raise
    _write_atomically(output, data)
    return output


def compile(path=None, output=None, *, opt=2, mcpu=None, loglevel=logging.WARNING):
    """Compiles the calling file (or path) to a BPF object, in this process.

    The object goes next to the source (prog.py -> prog.bpf.o) unless output
    is given. Returns the output path. Errors raise CompileError (its str()
    is the diagnostics, file:line:col); warnings are printed to stderr."""
    return _compile_to_file(path, output, ".bpf.o", "obj", opt, mcpu, loglevel)


def compile_to_ir(filename=None, output=None, loglevel=logging.WARNING, *, opt=2, mcpu=None):
    """pythonbpf's compile_to_ir(): writes the optimised LLVM IR of filename
    (default: the calling file) to output (default: prog.ll); returns output."""
    return _compile_to_file(filename, output, ".ll", "llvm", opt, mcpu, loglevel)


def _loader():
    from . import _loader as loader  # H3's loader API, imported when first needed
    return loader


class BPF:
    """Compiles the calling file (or path, or text) in memory and opens it.

    ``b.load()`` loads it into the kernel (after optional settings such as
    read-only globals), ``b.attach_all()`` attaches every program by its
    section (loading first if needed); ``b["name"]`` is a map (or a program,
    by name or by its @bpf function); ``b.maps``, ``b.programs`` and
    everything else of pybpf.BpfObject are available on it. ``close()`` (or a
    ``with`` block) detaches and unloads.
    """

    def __init__(self, path=None, text=None, *, name=None, opt=2, mcpu=None,
                 loglevel=logging.WARNING, **open_opts):
        if text is not None and path is not None:
            raise ValueError("pass path= or text=, not both")
        if text is not None:
            filename = name or "<text>"
            source = text
        else:
            filename = os.fspath(path) if path is not None else _caller_file()
            source = _read_source(filename)
        self.filename = filename
        #: the compiled object (bytes), e.g. to save or compare
        self.object_bytes = compile_source(source, filename, opt=opt, mcpu=mcpu,
                                           loglevel=loglevel)
        if name is None:
            base = os.path.basename(filename)
            name = base[:-3] if base.endswith(".py") else base
        self.name = name
        self._obj = _loader().open(self.object_bytes, name=name, **open_opts)
        self._links = []

    @property
    def object(self):
        """The underlying pybpf BpfObject."""
        return self._obj

    @property
    def loaded(self):
        return self._obj.loaded

    def load(self):
        """Loads the programs and maps into the kernel (once); returns self."""
        if not self._obj.loaded:
            self._obj.load()
        return self

    def attach_all(self):
        """Attaches every program by its section (loading first); returns self."""
        self.load()
        self._obj.attach_all()
        return self

    def load_and_attach(self):
        """pythonbpf's spelling of load() then attach_all()."""
        return self.attach_all()

    def detach_all(self):
        self._obj.detach_all()

    def __getitem__(self, key):
        if isinstance(key, BpfDefinition):
            kind, key = key.kind, key.name
        else:
            kind = "map" if key in self._obj.maps else "program"
        return (self._obj.maps if kind == "map" else self._obj.programs)[key]

    def __contains__(self, key):
        key = key.name if isinstance(key, BpfDefinition) else key
        return key in self._obj.maps or key in self._obj.programs

    def __getattr__(self, attr):
        if attr.startswith("__") or attr == "_obj":
            raise AttributeError(attr)
        return getattr(self._obj, attr)

    def close(self):
        """Detaches every program and unloads the object (idempotent)."""
        obj = self.__dict__.get("_obj")
        if obj is not None:
            obj.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "loaded" if self._obj.loaded else "opened"
        return f"<BPF '{self.name}' from {self.filename} ({state})>"
