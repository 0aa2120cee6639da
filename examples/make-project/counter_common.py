# counter_common.py - what the BPF program shares with other modules: a
# sibling module that counter's @bpf code imports from (pybpf finds it next
# to the source, or on -I directories; the depfile lists it, so editing it
# rebuilds the object).
from pybpf import bpf
from ctypes import c_uint32

MAX_PIDS = 64


@bpf
def is_target(p: c_uint32, target: c_uint32) -> c_uint32:
    if p == target:
        return 1
    return 0
