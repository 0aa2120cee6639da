#!/usr/bin/env python3
"""getppid_counter.py - loads the prebuilt counter.bpf.o (make compiles it
from counter.py) with the pybpf package: sets a global before load, attaches,
calls getppid N times and prints what the program counted in its map and in
its global. Run as root."""
import ctypes
import os
import sys

import pybpf

HERE = os.path.dirname(os.path.abspath(__file__))
SYS_getppid = 110  # x86_64


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    libc = ctypes.CDLL(None, use_errno=True)
    with pybpf.open(os.path.join(HERE, "counter.bpf.o")) as obj:
        obj.globals.target_pid = os.getpid()
        obj.load()
        obj.attach_all()
        for _ in range(n):
            libc.syscall(SYS_getppid)
        calls = dict(obj["calls"].items())
        print(f"map: {calls.get(os.getpid(), 0)} getppid calls")
        print(f"global: {obj.globals.total} getppid calls")


if __name__ == "__main__":
    main()
