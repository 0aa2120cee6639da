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


def _caller_frame():
    """The first frame outside pybpf/pythonbpf: the code that called us."""
    frame = sys._getframe(1)
    while frame is not None:
        here = os.path.dirname(os.path.abspath(frame.f_code.co_filename))
        if here not in (_PACKAGE_DIR, _SHIM_DIR):
            return frame
        frame = frame.f_back
    raise ValueError("cannot find the calling file; pass path=")


def _caller_file():
    return _caller_frame().f_code.co_filename


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
                   loglevel=logging.WARNING, defines=None, debug_compilation_dir=None,
                   include_dirs=None):
    """Compiles source (str or bytes) in memory; returns the object bytes (or
    the LLVM IR / assembly text for emit="llvm"/"asm"). Warnings go to stderr
    unless loglevel is above logging.WARNING; errors raise CompileError.
    defines: "NAME=VALUE" strings overriding module-level integer constants
    (pybpf compile -D); debug_compilation_dir: the directory recorded in debug
    info instead of the current one (--debug-compilation-dir); include_dirs:
    directories searched, after filename's own, for the local modules the
    source imports from (pybpf compile -I)."""
    if include_dirs is not None:
        include_dirs = [os.fspath(d) for d in include_dirs]
    output, warnings = _pybpf.compile(source, filename, opt=opt, mcpu=mcpu, emit=emit,
                                      defines=defines,
                                      debug_compilation_dir=debug_compilation_dir,
                                      include_dirs=include_dirs)
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


def _compile_to_file(path, output, suffix, emit, opt, mcpu, loglevel, include_dirs=None):
    if isinstance(path, int):  # pythonbpf's compile(logging.DEBUG)
        path, loglevel = None, path
    path = os.fspath(path) if path is not None else _caller_file()
    if output is None:
        output = (path[:-3] if path.endswith(".py") else path) + suffix
    output = os.fspath(output)
    try:
        data = compile_source(_read_source(path), path, opt=opt, mcpu=mcpu, emit=emit,
                              loglevel=loglevel, include_dirs=include_dirs)
    except CompileError:
        # As `pybpf compile -o`: a failed compilation leaves no (stale) output.
        try:
            os.unlink(output)
        except FileNotFoundError:
            pass
        raise
    _write_atomically(output, data)
    return output


def compile(path=None, output=None, *, opt=2, mcpu=None, loglevel=logging.WARNING,
            include_dirs=None):
    """Compiles the calling file (or path) to a BPF object, in this process.

    The object goes next to the source (prog.py -> prog.bpf.o) unless output
    is given. Returns the output path. Errors raise CompileError (its str()
    is the diagnostics, file:line:col); warnings are printed to stderr.
    Local modules the source imports from are found next to it or in
    include_dirs."""
    return _compile_to_file(path, output, ".bpf.o", "obj", opt, mcpu, loglevel, include_dirs)


def compile_to_ir(filename=None, output=None, loglevel=logging.WARNING, *, opt=2, mcpu=None):
    """pythonbpf's compile_to_ir(): writes the optimised LLVM IR of filename
    (default: the calling file) to output (default: prog.ll); returns output."""
    return _compile_to_file(filename, output, ".ll", "llvm", opt, mcpu, loglevel)


def _loader():
    from . import _loader as loader  # the loader API, imported when first needed
    return loader


class BPF:
    """Compiles the calling file (or path, or text) in memory and opens it.

    ``b.load()`` loads it into the kernel (after optional settings such as
    read-only globals), ``b.attach_all()`` attaches every program by its
    section (loading first if needed; ``load_and_attach()`` is pythonbpf's
    spelling); ``b["name"]`` is a map (or a program, by name or by its @bpf
    function); ``b.maps``, ``b.programs``, ``b.globals`` and everything else
    of pybpf.BpfObject are available on it. ``close()`` (or a ``with`` block)
    detaches, frees the event buffers and unloads.

    Event maps, pythonbpf and bcc style::

        b["events"].open_perf_buffer(callback, struct_name="event")  # callback(cpu, event)
        b["events"].poll(1000)          # or b.perf_buffer_poll(1000)
        b["ring"].open_ring_buffer(callback)                        # callback(event)
        b.ring_buffer_poll(1000)

    struct_name names a @struct class of the calling module (events are
    decoded from the object's BTF when it is omitted).
    """

    def __init__(self, path=None, text=None, *, name=None, opt=2, mcpu=None,
                 loglevel=logging.WARNING, include_dirs=None, **open_opts):
        if isinstance(path, int):  # pythonbpf's BPF(logging.DEBUG)
            path, loglevel = None, path
        if text is not None and path is not None:
            raise ValueError("pass path= or text=, not both")
        frame = _caller_frame()
        #: the calling module's namespace: where struct_name= classes are found
        self.namespace = frame.f_globals
        if text is not None:
            filename = name or "<text>"
            source = text
        else:
            filename = os.fspath(path) if path is not None else frame.f_code.co_filename
            source = _read_source(filename)
        del frame
        self.filename = filename
        #: the compiled object (bytes), e.g. to save or compare
        self.object_bytes = compile_source(source, filename, opt=opt, mcpu=mcpu,
                                           loglevel=loglevel, include_dirs=include_dirs)
        if name is None:
            base = os.path.basename(filename)
            name = base[:-3] if base.endswith(".py") else base
        self.name = name
        self._buffers = []  # (kind, buffer) opened through event maps
        self._event_maps = {}
        self._trace = None
        self._obj = _loader().open(self.object_bytes, name=name, **open_opts)

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
        if kind != "map":
            return self._obj.programs[key]
        if key in self._event_maps:
            return self._event_maps[key]
        m = self._obj.maps[key]
        loader = _loader()
        if m.type in (loader.BpfMapType.PERF_EVENT_ARRAY, loader.BpfMapType.RINGBUF):
            m = self._event_maps[key] = EventMap(self, m)
        return m

    def __contains__(self, key):
        key = key.name if isinstance(key, BpfDefinition) else key
        return key in self._obj.maps or key in self._obj.programs

    def __getattr__(self, attr):
        if attr.startswith("_"):
            raise AttributeError(attr)
        return getattr(self._obj, attr)

    def event_type(self, struct_name):
        """The @struct class named struct_name in the calling module."""
        cls = self.namespace.get(struct_name)
        if not (isinstance(cls, type) and hasattr(cls, "from_buffer_copy")):
            raise ValueError(f"no @struct class '{struct_name}' in {self.filename}")
        return cls

    def _poll(self, kind, timeout_ms):
        return sum(buf.poll(timeout_ms) for k, buf in self._buffers if k == kind)

    def perf_buffer_poll(self, timeout=-1):
        """Polls every perf buffer opened through b[...]; returns the samples handled."""
        return self._poll("perf", timeout)

    def ring_buffer_poll(self, timeout=-1):
        """Polls every ring buffer opened through b[...]; returns the records handled."""
        return self._poll("ring", timeout)

    def ring_buffer_consume(self):
        return self._poll("ring", 0)

    def trace_fields(self, nonblocking=False):
        """One parsed trace_pipe line (task, pid, cpu, flags, ts, msg), bcc style;
        None when nonblocking and nothing is there."""
        if self._trace is None:
            self._trace = _loader().trace_fields()
        if nonblocking:
            return next(_loader().trace_fields(nonblocking=True), None)
        return next(self._trace)

    def trace_print(self, fmt=None):
        """Prints trace_pipe lines until Ctrl-C (bcc); fmt formats the fields
        as "{pid} {msg}" would."""
        try:
            for ev in _loader().trace_fields():
                print(fmt.format(**ev._asdict()) if fmt else ev.msg, flush=True)
        except KeyboardInterrupt:
            pass

    def close(self):
        """Frees the event buffers, detaches every program and unloads (idempotent)."""
        for _, buf in self.__dict__.get("_buffers", ()):
            buf.close()
        self.__dict__.get("_buffers", []).clear()
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


class EventMap:
    """A perf event array or ring buffer map of a BPF(), with pythonbpf's and
    bcc's consumers on it; everything else is the BpfMap's."""

    def __init__(self, owner, m):
        self._owner, self.map, self._buffer = owner, m, None

    def _event_type(self, struct_name, event_type):
        return self._owner.event_type(struct_name) if struct_name else event_type

    def open_perf_buffer(self, callback=None, struct_name=None, lost_callback=None,
                         page_cnt=8, event_type=None):
        """callback(cpu, event) for each sample; returns the BpfPerfBuffer."""
        buf = _loader().BpfPerfBuffer(self.map, callback, lost_callback, page_cnt,
                                      self._event_type(struct_name, event_type))
        return self._opened("perf", buf)

    def open_ring_buffer(self, callback=None, struct_name=None, event_type=None):
        """callback(event) for each record; returns the BpfRingBuffer."""
        buf = _loader().BpfRingBuffer(self.map, callback,
                                      self._event_type(struct_name, event_type))
        return self._opened("ring", buf)

    def _opened(self, kind, buf):
        self._owner._buffers.append((kind, buf))
        self._buffer = buf
        return buf

    def poll(self, timeout_ms=-1):
        """Polls the buffer opened on this map (pythonbpf: b["events"].poll(1000))."""
        if self._buffer is None:
            raise ValueError(f"open_perf_buffer() or open_ring_buffer() on "
                             f"'{self.map.name}' first")
        return self._buffer.poll(timeout_ms)

    def __getattr__(self, attr):
        return getattr(self.map, attr)

    def __repr__(self):
        return repr(self.map)
