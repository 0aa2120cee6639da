# oneshot_counter.py - a program that compiles and runs itself, pythonbpf style.
#
# The @bpf part counts execve calls per process; the userspace part below
# compiles this very file in memory with BPF(), loads it, attaches it, runs
# a child process that execs three times (sh -> sh -> true keep one pid), and
# prints what the map counted. Run it as root, with the package on the path:
#
#   PYTHONPATH=build/dev/python python3 examples/oneshot_counter.py
#
# `pybpf compile examples/oneshot_counter.py` compiles the same BPF part (the
# userspace code is ordinary Python the compiler ignores).
import subprocess

from pybpf import bpf, map, section, bpfglobal, BPF
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1024)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def count_exec(ctx: c_void_p) -> c_int32:
    counts[pid()] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"


def main():
    with BPF() as b:  # compiles this file in memory: no temporary files
        b.load()
        b.attach_all()
        child = subprocess.Popen(["/bin/sh", "-c", "exec /bin/sh -c 'exec /bin/true'"])
        child.wait()
        execs = dict(b["counts"].items())
        print(f"child {child.pid}: {execs.get(child.pid, 0)} execs")
        print(f"{len(execs)} processes exec'd while attached")


if __name__ == "__main__":
    main()
