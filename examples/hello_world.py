# hello_world.py - print a line and remember the time of every execve.
#
#   pybpf compile examples/hello_world.py -o hello_world.bpf.o
#   pybpf run examples/hello_world.py -c /bin/true
from pybpf import bpf, map, section, bpfglobal, struct, compile
from pybpf.maps import HashMap
from pybpf.helper import ktime
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@map
def last() -> HashMap:
    return HashMap(key=c_uint64, value=c_uint64, max_entries=1)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def hello(ctx: c_void_p) -> c_int32:
    print(f"exec at {ktime()}")
    last.update(0, ktime())
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"


compile()
