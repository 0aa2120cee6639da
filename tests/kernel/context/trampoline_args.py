# fentry, fexit, fmod_ret and lsm programs take the kernel function's
# arguments as parameters, typed from its BTF prototype (fexit, fmod_ret
# and lsm also get the return value after them); pointer arguments are BTF
# pointers read with direct CO-RE loads. This kernel refuses to load these
# program types (EPERM), so test_context.py checks the code: 8-byte loads
# from the context's slots and CO-RE relocated direct loads.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_filename


@bpf
@map
def seen() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@section("fentry/do_unlinkat")
def enter_unlink(ctx, dfd, name) -> c_int32:
    if dfd == -100:
        seen[0] = name.refcnt.counter
    return 0


@bpf
@section("fexit/do_unlinkat")
def exit_unlink(ctx, dfd, name, ret) -> c_int32:
    if ret < 0:
        seen[1] = name.uptr
    return 0


@bpf
@section("lsm/file_open")
def check_open(ctx, file, ret) -> c_int32:
    seen[2] = file.f_flags
    return ret


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
