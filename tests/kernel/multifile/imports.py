# A multi-file program: constants, a struct, subprograms and a map imported
# from a local module (shared/consts.py, found next to this file), by name
# and through `import ... as`. The module's own SCALE (3) is not this
# file's SCALE (1000), and each file's helper_offset is its own.
# EXPECT-MAP: hits 1 0200000000000000
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint32, c_uint64
from shared.consts import LIMIT, point, scale, norm, hits
import shared.consts as sc
import os  # userspace only: never followed

SCALE = 1000


@bpf
def helper_offset() -> c_uint64:  # shared/consts.py has one too: each keeps its own
    return 7


@bpf
@section("raw_tp/sys_enter")
def imported(ctx: c_void_p) -> c_int32:
    if LIMIT != 123 or sc.SLOTS != 4 or SCALE != 1000:
        return 1
    if scale(5) != 115:  # 5 * 3 + 100
        return 2
    p = point(x=2, y=40)
    if norm(p) != 42:
        return 3
    q = sc.point(x=1, y=1)
    if sc.norm(q) != 2 or sc.scale(0) != 100:
        return 4
    if helper_offset() != 7:
        return 6
    v = hits.lookup(1)
    if not v:
        return 5
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
