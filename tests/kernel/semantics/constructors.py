# Struct and array constructors in BPF code: T(values by position or field
# name) and (T * N)(values), zero-filled; the values are run-time values,
# converted to each field's or element's type. Each check returns its number.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int8, c_int32, c_uint8, c_uint16, c_uint32, c_uint64


@bpf
@struct
class point:
    x: c_int32
    y: c_int32


@bpf
@struct
class event:
    pid: c_uint32
    kind: c_uint8
    name: str(8)
    at: point
    hist: c_uint16 * 3


@bpf
@bpfglobal
def seven() -> c_uint64:
    return c_uint64(7)


@bpf
@map
def events() -> HashMap:
    return HashMap(key=c_uint32, value=event, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def structs(ctx: c_void_p) -> c_int32:
    p = point(3, -4)
    if p.x != 3 or p.y != -4:
        return 1
    q = point(y=seven)  # x is zero
    if q.x != 0 or q.y != 7:
        return 2
    e = event(seven * 100, kind=258, name="init", at=point(1, 2))  # 258 wraps to 2
    if e.pid != 700 or e.kind != 2 or e.at.x != 1 or e.at.y != 2:
        return 3
    if e.name[0] != 105 or e.name[3] != 116 or e.name[4] != 0:
        return 4
    if e.hist[0] != 0 or e.hist[2] != 0:
        return 5
    e = event(hist=(c_uint16 * 3)(1, seven, 65537))
    if e.pid != 0 or e.hist[0] != 1 or e.hist[1] != 7 or e.hist[2] != 1:
        return 6
    events[1] = event(pid=42, name="map")
    v = events.lookup(1)
    if v is None or v.pid != 42 or v.name[2] != 112 or v.kind != 0:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def arrays(ctx: c_void_p) -> c_int32:
    a = (c_uint32 * 4)()
    if a[0] != 0 or a[3] != 0:
        return 20
    b: c_int8 * 4 = (c_int8 * 4)(1, -1, seven * 40)  # 280 wraps to 24
    if b[0] != 1 or b[1] != -1 or b[2] != 24 or b[3] != 0:
        return 21
    a = (c_uint32 * 4)(seven, seven + 1)
    if a[0] != 7 or a[1] != 8 or a[2] != 0:
        return 22
    ps = (point * 2)(point(1, 2), point(y=5))
    if ps[0].y != 2 or ps[1].x != 0 or ps[1].y != 5:
        return 23
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
