# str(N) char buffers: string literals stored into buffers, copies between
# buffers of any size (cut with a NUL, or zero-filled), strings as map keys
# and values. Each check returns its number.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class event:
    pid: c_uint32
    name: str(8)
    tag: str(4)


@bpf
@bpfglobal
def gname() -> str(6):
    return "init"


@bpf
@map
def events() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=event, max_entries=2)


@bpf
@map
def names() -> HashMap:
    return HashMap(key=c_uint32, value=str(8), max_entries=4)


@bpf
@map
def by_name() -> HashMap:
    return HashMap(key=str(8), value=c_uint64, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def literals(ctx: c_void_p) -> c_int32:
    buf: str(8) = "abc"
    if buf[0] != 97 or buf[1] != 98 or buf[2] != 99:
        return 1
    for i in range(3, 8):
        if buf[i] != 0:
            return 2
    # a shorter literal zero-fills what the longer one left
    buf = "wxyz123"
    buf = "q"
    if buf[0] != 113 or buf[1] != 0 or buf[6] != 0:
        return 3
    # exactly N bytes: no room for the NUL, as in C
    buf = "12345678"
    if buf[0] != 49 or buf[7] != 56:
        return 4
    s = "hi"  # a str(3)
    if s[0] != 104 or s[1] != 105 or s[2] != 0:
        return 5
    a, b = "x", "yz"
    if a[0] != 120 or b[1] != 122 or b[2] != 0:
        return 6
    c: str(4)
    d: str(8)
    c = d = "abc"
    if c[2] != 99 or c[3] != 0 or d[2] != 99 or d[7] != 0:
        return 7
    empty: str(4) = ""
    if empty[0] != 0 or empty[3] != 0:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def copies(ctx: c_void_p) -> c_int32:
    long: str(8) = "abcdefgh"
    short: str(4) = "zzzz"
    short = long  # cut: 3 bytes and a NUL
    if short[0] != 97 or short[2] != 99 or short[3] != 0:
        return 20
    wide: str(12) = "ZZZZZZZZZZZ"
    wide = short  # zero-filled after the 4 bytes
    if wide[0] != 97 or wide[3] != 0 or wide[4] != 0 or wide[11] != 0:
        return 21
    same: str(8) = "x"
    same = long
    if same[7] != 104:
        return 22
    task: str(16) = ""
    comm(task)
    mine: str(4) = task
    if mine[0] != task[0] or mine[2] != task[2] or mine[3] != 0:
        return 23
    return 0


@bpf
@section("raw_tp/sys_enter")
def places(ctx: c_void_p) -> c_int32:
    global gname
    gname = "ab"
    if gname[0] != 97 or gname[2] != 0 or gname[5] != 0:
        return 30
    e = events.lookup(0)
    if e is None:
        return 31
    e.name = "process"
    e.tag = e.name  # cut to "pro"
    if e.name[6] != 115 or e.name[7] != 0 or e.tag[2] != 111 or e.tag[3] != 0:
        return 32
    ev = event()
    ev.name = "local"
    events[1] = ev
    e1 = events.lookup(1)
    if e1 is None or e1.name[4] != 108 or e1.name[5] != 0:
        return 33
    names[1] = "value"
    v = names.lookup(1)
    if v is None or v[0] != 118 or v[5] != 0:
        return 34
    by_name["key"] = 42
    if "key" not in by_name or by_name["key"] != 42:
        return 35
    if "ke" in by_name or "keys" in by_name:
        return 36
    k: str(8) = "key"
    if by_name[k] != 42:
        return 37
    del by_name["key"]
    if k in by_name:
        return 38
    return 0


# EXPECT-TRACE: copied [pro] [local]
@bpf
@section("raw_tp/sys_enter")
def printed(ctx: c_void_p) -> c_int32:
    e = events.lookup(0)
    f = events.lookup(1)
    if e is None or f is None:
        return 40
    print(f"copied [{e.tag}] [{f.name}]")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
