# Regression (fixed): the f-string spec `p` is silently ignored on integer values and on map
# lookup results: pybpf keeps the value's default conversion. dialect.md:
# "f-string format specs d, i, u, x, X, c, s, p choose another" conversion.
# The format string pybpf builds for the print below is
#   "a=%llu b=%p c=%lld"
# (see `pybpf compile print_p_spec_ignored.py --emit=llvm -o -`); expected
#   "a=%p b=%p c=%p"
# What C (bpf_printk("%p", ptr)) prints for a NULL pointer on this kernel is
# 0000000000000000, so the EXPECT-TRACE line below fails: pybpf prints
# "a=0 b=0000000000000000 c=0".
# EXPECT-TRACE: a=0000000000000000 b=0000000000000000 c=0000000000000000
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_int64


@bpf
@map
def empty() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def p_spec(ctx: c_void_p) -> c_int32:
    v = empty.lookup(7)  # None
    k = c_uint32(7)
    h = map_lookup_elem(empty, k)  # None, as a helper result: %p works
    x = c_int64(0)
    print(f"a={v:p} b={h:p} c={x:p}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
