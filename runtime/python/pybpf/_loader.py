"""The loader API: load BPF objects, attach programs, read maps and buffers.

Everything here is a thin layer over the _pybpf extension (which calls
libpybpf): BpfProgram and BpfMap subclass the extension's Program and Map;
this module adds the Python conveniences (collections, enums, dataclasses,
BTF-decoded keys and values, asyncio, histograms, trace_pipe parsing).
"""

import collections
import ctypes
import dataclasses
import enum
import os
import re
import socket

from . import _pybpf
from ._btf import TypeBuilder, CODEC_BYTES, CODEC_INT, CODEC_FLOAT, CODEC_STR, CODEC_CTYPE
from ._hist import print_log2_hist, print_linear_hist

__all__ = [
    "load", "open", "open_pinned_map", "open_pinned_link", "version", "libbpf_version",
    "num_possible_cpus", "trace_pipe", "trace_fields", "perf_event_open",
    "BpfObject", "BpfProgram", "BpfMap", "BpfLink", "BpfRingBuffer", "BpfPerfBuffer",
    "BpfMapType", "BpfProgType", "MapInfo", "ProgramInfo", "RingBufferEvent",
    "TraceEvent", "BpfError", "BPF_ANY", "BPF_NOEXIST", "BPF_EXIST", "BPF_F_LOCK",
    "XDP_FLAGS_UPDATE_IF_NOEXIST", "XDP_FLAGS_SKB_MODE", "XDP_FLAGS_DRV_MODE",
    "XDP_FLAGS_HW_MODE", "ProgramCollection", "MapCollection", "Globals",
]

BpfError = _pybpf.BpfError


# Where the verifier rejected a program (set by load(); None otherwise or
# when unknown): the program, the verifier's complaint, and the source
# location of the failing instruction (filename, lineno, col: the Python
# source of a pybpf-compiled object, the C file of a clang-built one).
BpfError.program = None
BpfError.message = None
BpfError.lineno = None
BpfError.col = None


def _error_str(self):
    # OSError's own str() would append a set filename
    if self.errno is not None and self.strerror is not None:
        text = "[Errno %d] %s" % (self.errno, self.strerror)
    else:
        text = OSError.__str__(self)
    if self.program is not None:
        where = ""
        if self.filename is not None and self.lineno is not None:
            where = "%s:%d:" % (self.filename, self.lineno)
            if self.col is not None:
                where += "%d:" % self.col
            where += " "
        text = "%sthe verifier rejected program '%s': %s\n%s" % (
            where, self.program, self.message or "(no message)", text)
    log = getattr(self, "log", None)
    if log:
        tail = log.rstrip("\n").splitlines()[-40:]
        text += "\n" + "\n".join(tail)
    return text


BpfError.__str__ = _error_str

BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK = 0, 1, 2, 4
XDP_FLAGS_UPDATE_IF_NOEXIST = 1 << 0
XDP_FLAGS_SKB_MODE = 1 << 1
XDP_FLAGS_DRV_MODE = 1 << 2
XDP_FLAGS_HW_MODE = 1 << 3


class BpfMapType(enum.IntEnum):
    """enum bpf_map_type (linux/bpf.h)."""
    UNSPEC = 0
    HASH = 1
    ARRAY = 2
    PROG_ARRAY = 3
    PERF_EVENT_ARRAY = 4
    PERCPU_HASH = 5
    PERCPU_ARRAY = 6
    STACK_TRACE = 7
    CGROUP_ARRAY = 8
    LRU_HASH = 9
    LRU_PERCPU_HASH = 10
    LPM_TRIE = 11
    ARRAY_OF_MAPS = 12
    HASH_OF_MAPS = 13
    DEVMAP = 14
    SOCKMAP = 15
    CPUMAP = 16
    XSKMAP = 17
    SOCKHASH = 18
    CGROUP_STORAGE = 19
    REUSEPORT_SOCKARRAY = 20
    PERCPU_CGROUP_STORAGE = 21
    QUEUE = 22
    STACK = 23
    SK_STORAGE = 24
    DEVMAP_HASH = 25
    STRUCT_OPS = 26
    RINGBUF = 27
    INODE_STORAGE = 28
    TASK_STORAGE = 29
    BLOOM_FILTER = 30
    USER_RINGBUF = 31
    CGRP_STORAGE = 32
    ARENA = 33


class BpfProgType(enum.IntEnum):
    """enum bpf_prog_type (linux/bpf.h)."""
    UNSPEC = 0
    SOCKET_FILTER = 1
    KPROBE = 2
    SCHED_CLS = 3
    SCHED_ACT = 4
    TRACEPOINT = 5
    XDP = 6
    PERF_EVENT = 7
    CGROUP_SKB = 8
    CGROUP_SOCK = 9
    LWT_IN = 10
    LWT_OUT = 11
    LWT_XMIT = 12
    SOCK_OPS = 13
    SK_SKB = 14
    CGROUP_DEVICE = 15
    SK_MSG = 16
    RAW_TRACEPOINT = 17
    CGROUP_SOCK_ADDR = 18
    LWT_SEG6LOCAL = 19
    LIRC_MODE2 = 20
    SK_REUSEPORT = 21
    FLOW_DISSECTOR = 22
    CGROUP_SYSCTL = 23
    RAW_TRACEPOINT_WRITABLE = 24
    CGROUP_SOCKOPT = 25
    TRACING = 26
    STRUCT_OPS = 27
    EXT = 28
    LSM = 29
    SK_LOOKUP = 30
    SYSCALL = 31
    NETFILTER = 32


def _enum_or_int(cls, value):
    try:
        return cls(value)
    except ValueError:
        return value


@dataclasses.dataclass(frozen=True)
class MapInfo:
    """What the kernel reports about a map (plus its type as an enum)."""
    id: int
    name: str
    type: object
    key_size: int
    value_size: int
    max_entries: int
    map_flags: int
    btf_id: int
    btf_key_type_id: int
    btf_value_type_id: int


@dataclasses.dataclass(frozen=True)
class ProgramInfo:
    """What the kernel reports about a loaded program."""
    id: int
    name: str
    type: object
    btf_id: int
    nr_func_info: int
    nr_line_info: int
    xlated_insn_cnt: int
    jited_len: int
    nr_jited_funcs: int
    verified_insns: int
    run_cnt: int
    run_time_ns: int


@dataclasses.dataclass(frozen=True)
class RingBufferEvent:
    """One ring buffer record in iterator mode: the map it came from and its data."""
    map_name: str
    data: object


TraceEvent = collections.namedtuple("TraceEvent", "task pid cpu flags ts msg")


def version():
    """pybpf's version."""
    return _pybpf.version()


def libbpf_version():
    """The version of the libbpf pybpf runs on."""
    return _pybpf.libbpf_version()


def num_possible_cpus():
    """Possible CPUs: the length of per-CPU values."""
    return _pybpf.num_possible_cpus()


def perf_event_open(type, config, sample_period, cpu=-1, pid=-1):
    """Opens a perf event (for BpfProgram.attach_perf_event); returns its fd."""
    return _pybpf.perf_event_open(type, config, sample_period, cpu=cpu, pid=pid)


BpfLink = _pybpf.Link


def open_pinned_link(path):
    """A link pinned in a bpffs (destroy() closes it; the pin keeps it attached)."""
    return _pybpf.open_pinned_link(os.fspath(path))


# ---- objects ----------------------------------------------------------------

def _open_c(source, name, kernel_log_level, pin_root_path, btf_custom_path):
    kw = dict(name=name, kernel_log_level=kernel_log_level, pin_root_path=pin_root_path,
              btf_custom_path=btf_custom_path)
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _pybpf.open_mem(source, **kw), None
    path = os.fspath(source)
    if not os.path.exists(path):
        raise BpfError(2, "open '%s' failed: No such file or directory" % path)
    return _pybpf.open_file(path, **kw), path


def open(source, *, name=None, kernel_log_level=0, pin_root_path=None, btf_custom_path=None):
    """Opens a BPF object (a path, or the object's bytes) without loading it.

    Before obj.load(): set globals (``obj.globals.x = 1``, .rodata too),
    ``obj.maps["m"].max_entries``, ``obj.programs["p"].autoload``.
    """
    c, path = _open_c(source, name, kernel_log_level, pin_root_path, btf_custom_path)
    return BpfObject(c, path)


def load(source, **kwargs):
    """Opens and loads a BPF object (a path, or the object's bytes)."""
    obj = open(source, **kwargs)
    try:
        obj.load()
    except BaseException:
        obj.close()
        raise
    return obj


def open_pinned_map(path, key_type=None, value_type=None):
    """A map pinned in a bpffs; keys and values are bytes unless types are given
    (int, a ctypes class, or a ctypes simple type)."""
    m = BpfMap.open_pinned(os.fspath(path))
    m._set_types(key_type, value_type)
    return m


class _Collection(collections.abc.Mapping):
    def __init__(self, names, make, what):
        self._names = list(names)
        self._make = make
        self._cache = {}
        self._what = what

    def __getitem__(self, name):
        if name not in self._names:
            raise KeyError("no %s %r (there are: %s)" % (self._what, name,
                                                         ", ".join(self._names) or "none"))
        if name not in self._cache:
            self._cache[name] = self._make(name)
        return self._cache[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self._names)


class ProgramCollection(_Collection):
    """The programs of an object, by function name (read-only mapping)."""


class MapCollection(_Collection):
    """The maps of an object, by map name (read-only mapping)."""


class Globals:
    """The object's global variables as attributes: ``obj.globals.name``.

    Reading decodes the value from BTF; writing accepts what a map value
    accepts. .rodata variables are writable until load.
    """

    def __init__(self, obj):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_info", {g[0]: g for g in obj._c._globals()})

    def _codec(self, name):
        if name not in self._info:
            raise AttributeError("no global %r in object %r (there are: %s)" % (
                name, self._obj.name, ", ".join(self._info) or "none"))
        return self._obj._types.codec(self._info[name][2])

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        codec = self._codec(name)
        raw = self._obj._c._global_read(name)
        return _decode_with(codec, raw)

    def __setattr__(self, name, value):
        codec = self._codec(name)
        size = self._info[name][1]
        self._obj._c._global_write(name, _encode_with(codec, value, size))

    def __dir__(self):
        return list(self._info)

    def __iter__(self):
        return iter(self._info)

    def __contains__(self, name):
        return name in self._info

    def section(self, name):
        """.rodata, .data or .bss."""
        self._codec(name)
        return self._info[name][3]

    def raw(self, name):
        """The variable's bytes."""
        self._codec(name)
        return self._obj._c._global_read(name)

    def __repr__(self):
        try:
            items = ", ".join("%s=%r" % (n, getattr(self, n)) for n in self._info)
        except BpfError:
            items = ", ".join(self._info)
        return "<globals %s>" % items


def _decode_with(codec, raw):
    kind, signed, cls = codec
    if kind == CODEC_INT and len(raw) <= 8:
        return int.from_bytes(raw, "little", signed=signed)
    if kind == CODEC_FLOAT:
        t = ctypes.c_float if len(raw) == 4 else ctypes.c_double
        return t.from_buffer_copy(raw).value
    if kind == CODEC_STR:
        return raw.split(b"\0", 1)[0]
    if kind == CODEC_CTYPE:
        return cls.from_buffer_copy(raw)
    return raw


def _encode_with(codec, value, size):
    kind, signed, cls = codec
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int) and kind != CODEC_FLOAT:
        return value.to_bytes(size, "little", signed=signed or value < 0)
    if kind == CODEC_FLOAT and isinstance(value, (int, float)):
        t = ctypes.c_float if size == 4 else ctypes.c_double
        return bytes(t(value))
    if isinstance(value, str):
        value = value.encode()
        if len(value) > size:
            raise ValueError("%r is longer than %d bytes" % (value, size))
        return value.ljust(size, b"\0")
    if kind == CODEC_CTYPE and isinstance(value, tuple):
        value = cls(*value)
    elif kind == CODEC_CTYPE and isinstance(value, dict):
        value = cls(**value)
    data = bytes(value)
    if kind == CODEC_STR or (not isinstance(value, (bytes, bytearray)) and len(data) < size):
        data = data.ljust(size, b"\0")
    if len(data) != size:
        raise ValueError("%d bytes given, the variable has %d" % (len(data), size))
    return data


class BpfObject:
    """A BPF object: its programs, maps and globals. A context manager."""

    def __init__(self, c, path=None):
        self._c = c
        self._path = path
        self._types = TypeBuilder(self._describe)
        self.programs = ProgramCollection(c.program_names(),
                                          lambda n: BpfProgram(self, n), "program")
        self.maps = MapCollection(c.map_names(), lambda n: BpfMap(self, n), "map")
        self._globals = None

    def _describe(self, type_id):
        text = self._c._btf_describe(type_id)
        if text is None:
            raise ValueError("no BTF")
        return text

    @property
    def name(self):
        return self._c.name

    @property
    def path(self):
        return self._path

    @property
    def loaded(self):
        return self._c.loaded

    @property
    def load_log(self):
        """libbpf's messages (and a rejected program's verifier log)."""
        return self._c.load_log

    @property
    def globals(self):
        if self._globals is None:
            self._globals = Globals(self)
        return self._globals

    def load(self):
        """Creates the maps and loads the programs; BpfError with the
        verifier log when a program is rejected."""
        self._c.load()
        return self

    def program(self, name):
        return self.programs[name]

    def map(self, name):
        return self.maps[name]

    def __getitem__(self, name):
        """A map by name (bcc style: ``obj["counts"]``)."""
        return self.maps[name]

    def attach_all(self):
        """Attaches every program its section tells how to; returns how many."""
        return self._c.attach_all()

    def detach_all(self):
        self._c.detach_all()

    def btf_type(self, type_id):
        """The ctypes class (or int/float/bytes codec) for a BTF type id."""
        kind, signed, cls = self._types.codec(type_id)
        return cls

    def format(self, type_id, data):
        """BTF-driven text of a value (pybpf_btf__format)."""
        return self._c._btf_format(type_id, bytes(data))

    def close(self):
        self._c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        state = "closed" if self._c.closed else ("loaded" if self.loaded else "opened")
        return "<BpfObject %s (%s)>" % (self._c.name if not self._c.closed else "?", state)


# ---- programs ---------------------------------------------------------------

def _ifindex(interface):
    if isinstance(interface, str):
        return socket.if_nametoindex(interface)
    return int(interface)


class BpfProgram(_pybpf.Program):
    """A program of an object. attach_* return a BpfLink (keep it: dropping
    it detaches)."""

    def __init__(self, obj, name):
        super().__init__(obj._c, name)
        self._obj = obj

    @property
    def type(self):
        return _enum_or_int(BpfProgType, self._type)

    @property
    def info(self):
        d = self._info()
        d["type"] = _enum_or_int(BpfProgType, d["type"])
        return ProgramInfo(**d)

    def attach_kprobe(self, func, retprobe=False, offset=0):
        return self._attach_kprobe(func, retprobe=retprobe, offset=offset)

    def attach_kretprobe(self, func):
        return self._attach_kprobe(func, retprobe=True)

    def attach_uprobe(self, binary, offset=0, pid=-1, retprobe=False, symbol=None):
        """A uprobe on `binary` at `symbol` (+offset) or at file offset `offset`
        (a str offset is taken as a symbol name)."""
        if isinstance(offset, str):
            symbol, offset = offset, 0
        return self._attach_uprobe(os.fspath(binary), symbol, offset, pid, retprobe)

    def attach_uretprobe(self, binary, offset=0, pid=-1, symbol=None):
        return self.attach_uprobe(binary, offset, pid, True, symbol)

    def attach_usdt(self, binary, provider, name, pid=-1, cookie=0):
        return self._attach_usdt(os.fspath(binary), provider, name, pid, cookie)

    def attach_xdp(self, interface, flags=0):
        """XDP on an interface (name or ifindex); flags XDP_FLAGS_*."""
        return self._attach_xdp(_ifindex(interface), flags)

    def attach_tc(self, interface, direction="ingress", priority=0, handle=0):
        if direction not in ("ingress", "egress"):
            raise ValueError("direction must be 'ingress' or 'egress'")
        return self._attach_tc(_ifindex(interface), direction == "egress", priority, handle)

    def attach_socket(self, sock):
        """A socket filter on a socket object or fd."""
        fd = sock.fileno() if hasattr(sock, "fileno") else int(sock)
        return self._attach_socket(fd)

    def attach_cgroup(self, cgroup):
        """A cgroup program on a cgroup v2 directory (path) or its fd."""
        if isinstance(cgroup, int):
            return self._attach_cgroup(cgroup)
        fd = os.open(os.fspath(cgroup), os.O_RDONLY | os.O_DIRECTORY)
        try:
            return self._attach_cgroup(fd)
        finally:
            os.close(fd)

    def attach_perf_event(self, fd):
        """A perf event fd (see perf_event_open)."""
        return self._attach_perf_event(fd)

    def __repr__(self):
        try:
            return "<BpfProgram %s section=%r type=%s>" % (self.name, self.section,
                                                           self.type.name if isinstance(
                                                               self.type, enum.Enum)
                                                           else self.type)
        except BpfError:
            return "<BpfProgram (closed)>"


# ---- maps -------------------------------------------------------------------

def _codec_for_type(t):
    """A codec for a user-given key/value type."""
    if t is None or t is bytes:
        return (CODEC_BYTES, False, None)
    if t is int:
        return (CODEC_INT, False, None)
    if t is float:
        return (CODEC_FLOAT, True, None)
    if t is str:
        return (CODEC_STR, False, None)
    if isinstance(t, type) and issubclass(t, ctypes._SimpleCData):
        if t in (ctypes.c_float, ctypes.c_double):
            return (CODEC_FLOAT, True, None)
        if t._type_ in "bhilqBHILQ?":
            return (CODEC_INT, t._type_ in "bhilq", None)
    if isinstance(t, type) and hasattr(t, "from_buffer_copy"):
        return (CODEC_CTYPE, False, t)
    raise TypeError("unsupported key/value type %r" % (t,))


class BpfMap(_pybpf.Map):
    """A map, dict-like. Keys and values are decoded from the object's BTF:
    integers as int, structs as ctypes instances with a readable repr, char
    arrays as bytes; writes also accept bytes, ctypes objects and tuples.
    Per-CPU maps read and write lists, one value per possible CPU."""

    def __init__(self, obj, name):
        super().__init__(obj._c, name)
        self._obj = obj
        types = obj._types
        self._key_codec = types.codec(self.btf_key_type_id)
        self._value_codec = types.codec(self.btf_value_type_id)
        self._apply_codecs()

    def _apply_codecs(self):
        for which, (kind, signed, cls) in enumerate((self._key_codec, self._value_codec)):
            self._set_codec(which, kind, signed, cls)

    def _set_types(self, key_type, value_type):
        self._key_codec = _codec_for_type(key_type)
        self._value_codec = _codec_for_type(value_type)
        self._apply_codecs()

    def typed(self, key=None, value=None):
        """Sets the key and/or value type (int, float, str, bytes, a ctypes
        class) instead of the BTF-derived one; returns the map."""
        if key is not None:
            self._key_codec = _codec_for_type(key)
        if value is not None:
            self._value_codec = _codec_for_type(value)
        self._apply_codecs()
        return self

    @property
    def key_type(self):
        """The ctypes class keys decode to, int, float, or bytes."""
        return _codec_python_type(self._key_codec)

    @property
    def value_type(self):
        return _codec_python_type(self._value_codec)

    @property
    def type(self):
        return _enum_or_int(BpfMapType, self._type)

    @property
    def info(self):
        d = self._info()
        d["type"] = _enum_or_int(BpfMapType, d["type"])
        return MapInfo(**d)

    def __iter__(self):
        return iter(self.keys())

    def sum(self, key):
        """Per-CPU maps: the values of one key summed over CPUs."""
        v = self[key]
        return sum(v) if isinstance(v, list) else v

    def zero(self):
        """Array maps: zeroes every value (same as clear())."""
        return self.clear()

    def print_log2_hist(self, val_type="value", section_header="Bucket ptr",
                        section_print_fn=None, bucket_fn=None, strip_leading_zero=False,
                        file=None):
        """Prints a log2 histogram of the map (keys: slot, or (bucket, slot)
        structs; values: counts), in bcc's format."""
        print_log2_hist(self, val_type, section_header, section_print_fn, bucket_fn,
                        strip_leading_zero, file)

    def print_linear_hist(self, val_type="value", section_header="Bucket ptr",
                          section_print_fn=None, bucket_fn=None, file=None):
        print_linear_hist(self, val_type, section_header, section_print_fn, bucket_fn, file)

    def __repr__(self):
        try:
            t = self.type
            return "<BpfMap %s type=%s key_size=%d value_size=%d max_entries=%d>" % (
                self.name, t.name if isinstance(t, enum.Enum) else t, self.key_size,
                self.value_size, self.max_entries)
        except BpfError:
            return "<BpfMap (closed)>"


def _codec_python_type(codec):
    kind, signed, cls = codec
    return {CODEC_INT: int, CODEC_FLOAT: float, CODEC_STR: bytes,
            CODEC_BYTES: bytes}.get(kind, cls)


# ---- ring buffers -----------------------------------------------------------

def _event_decoder(m, event_type):
    """decode(bytes) for the records of a ring/perf buffer map, or None."""
    if event_type is not None:
        if event_type is bytes:
            return None
        kind, signed, cls = _codec_for_type(event_type)
        if cls is not None:
            size = ctypes.sizeof(cls)
            return lambda b: cls.from_buffer_copy(b if len(b) >= size else b.ljust(size, b"\0"))
        return lambda b: _decode_with((kind, signed, cls), b)
    obj = getattr(m, "_obj", None)
    if obj is None:
        return None
    return obj._types.decoder(m.btf_event_type_id)


class _Consumer:
    """What ring and perf buffers share: the C consumer self._c, the queue
    self._queue that callback-less consumers fill, asyncio, closing."""

    async def poll_async(self, timeout=None):
        """Waits (in the event loop) until records are available, then
        handles them; returns how many (0 on timeout, seconds). The records
        are consumed, not polled: the event loop's readiness check has
        already taken the epoll wakeup (a perf buffer would see nothing)."""
        import asyncio  # here, not at module level: it costs ~25 ms to import
        loop = asyncio.get_running_loop()
        n = self._c.consume()
        if n:
            return n
        fut = loop.create_future()
        fd = self._c.epoll_fd
        loop.add_reader(fd, lambda: fut.done() or fut.set_result(None))
        try:
            await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            return 0
        finally:
            loop.remove_reader(fd)
        return self._c.consume()

    def __aiter__(self):
        return self

    async def __anext__(self):
        while not self._queue:
            await self.poll_async()
        return self._queue.popleft()

    def close(self):
        self._c.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class BpfRingBuffer(_Consumer):
    """Consumer of one or more BPF_MAP_TYPE_RINGBUF maps.

    With a callback per map, poll()/consume() call it with each record
    (decoded from BTF when the compiler recorded the record type, else
    bytes; pass event_type to choose). Without callbacks, records are queued
    and read with poll_iter() or ``async for event in rb`` (RingBufferEvent).
    A callback returning a negative number stops the poll; an exception in
    a callback is raised from poll().
    """

    def __init__(self, map=None, callback=None, event_type=None):
        self._c = _pybpf.RingBuffer()
        self._mode = None
        self._queue = collections.deque()
        self._maps = []
        if map is not None:
            self.add(map, callback, event_type)

    def add(self, map, callback=None, event_type=None):
        mode = "callback" if callback is not None else "iter"
        if self._mode and mode != self._mode:
            raise BpfError(22, "ring buffer: cannot mix callback and iterator modes")
        if any(m is map for m in self._maps):
            raise BpfError(17, "ring buffer: map '%s' already added" % map.name)
        if map.type != BpfMapType.RINGBUF:
            raise BpfError(22, "ring buffer: map '%s' is not a ring buffer" % map.name)
        self._mode = mode
        if callback is None:
            name = map.name
            queue = self._queue
            callback = lambda data: queue.append(RingBufferEvent(name, data))  # noqa: E731
        self._c.add(map, callback, _event_decoder(map, event_type))
        self._maps.append(map)
        return self

    def poll(self, timeout_ms=-1):
        """Waits up to timeout_ms for records and handles them; returns how many."""
        return self._c.poll(timeout_ms)

    def consume(self):
        """Handles the available records without waiting; returns how many."""
        return self._c.consume()

    def poll_iter(self, timeout_ms=-1):
        """Iterator mode: yields the data of each record, polling once."""
        self._c.poll(timeout_ms)
        while self._queue:
            yield self._queue.popleft().data

    def events(self):
        """Iterator mode: the queued RingBufferEvents (without polling)."""
        while self._queue:
            yield self._queue.popleft()

    @property
    def epoll_fd(self):
        return self._c.epoll_fd



class BpfPerfBuffer(_Consumer):
    """Consumer of a BPF_MAP_TYPE_PERF_EVENT_ARRAY map: one buffer per CPU.
    sample_callback(cpu, data), lost_callback(cpu, count)."""

    def __init__(self, map, sample_callback=None, lost_callback=None, page_cnt=8,
                 event_type=None):
        if map.type != BpfMapType.PERF_EVENT_ARRAY:
            raise BpfError(22, "perf buffer: map '%s' is not a perf event array" % map.name)
        self._queue = collections.deque()
        if sample_callback is None:
            queue = self._queue
            sample_callback = lambda cpu, data: queue.append(data)  # noqa: E731
        self._c = _pybpf.PerfBuffer(map, sample_callback, lost_callback, page_cnt,
                                    _event_decoder(map, event_type))
        self.map = map

    def poll(self, timeout_ms=-1):
        """Waits up to timeout_ms and handles the samples; returns how many."""
        return self._c.poll(timeout_ms)

    def consume(self):
        return self._c.consume()

    def poll_iter(self, timeout_ms=-1):
        """Without a sample callback: yields each sample's data, polling once."""
        self._c.poll(timeout_ms)
        while self._queue:
            yield self._queue.popleft()

    @property
    def lost(self):
        """Samples lost so far."""
        return self._c.lost

    @property
    def epoll_fd(self):
        return self._c.epoll_fd



# ---- trace_pipe -------------------------------------------------------------

def trace_pipe(timeout_ms=-1, nonblocking=False):
    """Yields the kernel trace_pipe's lines (bpf_printk output) as str.
    Stops after timeout_ms without a line (-1: never), at once when
    nonblocking and nothing is there."""
    tp = _pybpf.TracePipe()
    try:
        while True:
            line = tp.read_line(0 if nonblocking else timeout_ms)
            if line is None:
                return
            yield line
    finally:
        tp.close()


_TRACE_RE = re.compile(
    r"^\s*(?P<task>.+?)-(?P<pid>\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(?P<cpu>\d+)\]\s+"
    r"(?:(?P<flags>[^\s]{4,5})\s+)?(?P<ts>\d+\.\d+):\s+(?:[\w:]+:\s)?(?P<msg>.*)$")


def parse_trace_line(line):
    """(task, pid, cpu, flags, ts, msg) of one trace_pipe line, as bcc's
    trace_fields; None for lines that do not parse."""
    m = _TRACE_RE.match(line)
    if not m:
        return None
    return TraceEvent(m["task"].strip(), int(m["pid"]), int(m["cpu"]), m["flags"] or "",
                      float(m["ts"]), m["msg"])


def trace_fields(timeout_ms=-1, nonblocking=False):
    """Like trace_pipe(), parsed: yields TraceEvent(task, pid, cpu, flags, ts, msg)."""
    for line in trace_pipe(timeout_ms, nonblocking):
        ev = parse_trace_line(line)
        if ev is not None:
            yield ev
