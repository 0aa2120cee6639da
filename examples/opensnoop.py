# opensnoop.py - trace openat() system calls, like bcc's opensnoop.
#
# Two tracepoints with contexts typed from the kernel's BTF: at
# sys_enter_openat the program keeps the filename pointer (ctx.args[1]) and
# the flags (ctx.args[2]) in a hash map keyed by thread id; at
# sys_exit_openat it takes them back, reads the filename from user memory
# and sends one event (pid, comm, fd or error, flags, path) through a ring
# buffer. The userspace part below compiles this file in memory with BPF(),
# loads it and prints one line per open:
#
#   PID     COMM              FD ERR FLAGS    PATH
#   4711    cat                3   0 0x0      /etc/hostname
#   4711    cat               -1   2 0x0      /nonexistent
#
# Run it as root, with the package on the path:
#
#   PYTHONPATH=build/dev/python python3 examples/opensnoop.py             # until Ctrl-C
#   PYTHONPATH=build/dev/python python3 examples/opensnoop.py -d 5 -n cat # 5 s, comm has "cat"
#   PYTHONPATH=build/dev/python python3 examples/opensnoop.py -p 1234     # one process, until it exits
#   PYTHONPATH=build/dev/python python3 examples/opensnoop.py -- cat /etc/hostname
#
# With a command (after --), it runs the command and shows the opens of the
# command and its descendants until the command exits: the program walks up the
# parents of the opening task (task.real_parent.tgid, CO-RE reads through
# bpf_get_current_task_btf()) looking for this script's process. -p filters
# in the kernel too (read-only globals set before loading), -n and -x (failed
# opens only) in userspace.
# `pybpf compile examples/opensnoop.py` compiles the BPF part (the userspace
# code is ordinary Python the compiler ignores).
import argparse
import os
import subprocess
import sys
import time
from typing import Final

from pybpf import bpf, map, section, bpfglobal, struct, BPF
from pybpf.maps import HashMap, RingBuffer
from pybpf.helper import pid, tid, uid, comm
from ctypes import c_int32, c_uint32, c_int64, c_uint64
from vmlinux import TASK_COMM_LEN

NAME_MAX = 256


@bpf
@struct
class open_args:
    fname: c_uint64  # the user address of the filename
    flags: c_int64


@bpf
@struct
class open_event:
    pid: c_uint32
    tid: c_uint32
    uid: c_uint32
    ret: c_int64  # the fd, or -errno
    flags: c_int64
    comm: str(TASK_COMM_LEN)
    fname: str(NAME_MAX)


@bpf
@map
def starts() -> HashMap:
    return HashMap(key=c_uint32, value=open_args, max_entries=10240)


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=256 * 1024)


@bpf
@bpfglobal
def target_pid() -> Final[c_uint32]:  # .rodata: 0 traces every process
    return c_uint32(0)


@bpf
@bpfglobal
def ancestor() -> Final[c_uint32]:  # .rodata: only descendants of this process
    return c_uint32(0)


MAX_DEPTH = 16  # how far up the process tree ancestor is looked for


# The context is typed from the section: trace_event_raw_sys_enter
# (id, args[6]) here, trace_event_raw_sys_exit (id, ret) below.
@bpf
@section("tracepoint/syscalls/sys_enter_openat")
def on_enter(ctx) -> c_int32:
    if target_pid != 0 and pid() != target_pid:
        return 0
    if ancestor != 0:
        # walk up the parents with CO-RE reads of the current task_struct
        task = bpf_get_current_task_btf()
        found = 0
        for i in range(MAX_DEPTH):
            task = task.real_parent
            if task.tgid == ancestor:
                found = 1
                break
        if found == 0:
            return 0
    a = open_args()
    a.fname = ctx.args[1]
    a.flags = ctx.args[2]
    starts.update(tid(), a)
    return 0


@bpf
@section("tracepoint/syscalls/sys_exit_openat")
def on_exit(ctx) -> c_int32:
    t = tid()
    a = starts.lookup(t)
    if a is None:
        return 0
    e = events.reserve(open_event)
    if e is None:
        starts.delete(t)
        return 0
    e.pid = pid()
    e.tid = t
    e.uid = uid()
    e.ret = ctx.ret
    e.flags = a.flags
    comm(e.comm)
    bpf_probe_read_user_str(e.fname, a.fname)
    events.submit(e)
    starts.delete(t)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Trace openat() system calls.")
    ap.add_argument("-p", "--pid", type=int, default=0,
                    help="only this process, until it exits")
    ap.add_argument("-n", "--name", help="only processes whose comm contains NAME")
    ap.add_argument("-x", "--failed", action="store_true", help="only failed opens")
    ap.add_argument("-d", "--duration", type=float, help="stop after DURATION seconds")
    ap.add_argument("command", nargs=argparse.REMAINDER,
                    help="run this command (after --) and trace its process")
    args = ap.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    return args


def main(argv=None):
    args = parse_args(argv)
    child = None

    def show(e):
        name = e.comm.decode(errors="replace")
        if args.name and args.name not in name:
            return
        fd, err = (e.ret, 0) if e.ret >= 0 else (-1, -e.ret)
        if args.failed and err == 0:
            return
        print(f"{e.pid:<7} {name:<16} {fd:>3} {err:>3} {e.flags:<#8x} "
              f"{e.fname.decode(errors='replace')}", flush=True)

    with BPF() as b:  # compiles this file in memory
        b.globals.target_pid = args.pid
        if args.command:  # the command and its descendants: they descend from us
            b.globals.ancestor = os.getpid()
        b.load()
        b.attach_all()
        b["events"].open_ring_buffer(show)
        print(f"{'PID':<7} {'COMM':<16} {'FD':>3} {'ERR':>3} {'FLAGS':<8} PATH", flush=True)
        end = time.monotonic() + args.duration if args.duration is not None else None
        if args.command:
            child = subprocess.Popen(args.command)
        try:
            while True:
                b.ring_buffer_poll(100)
                if child is not None and child.poll() is not None:
                    break
                if args.pid and not os.path.exists(f"/proc/{args.pid}"):
                    break
                if end is not None and time.monotonic() >= end:
                    break
        except KeyboardInterrupt:
            pass
        b.ring_buffer_consume()  # what arrived since the last poll
    if child is not None:
        return child.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
