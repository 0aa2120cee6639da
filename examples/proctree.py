# proctree.py - show the tree of processes a command starts, with exit codes.
#
# Three scheduler tracepoints, their contexts typed from the kernel's BTF:
# sched_process_fork (ctx.parent_pid, ctx.child_pid), sched_process_exec
# (ctx.pid) and sched_process_exit (ctx.pid, ctx.group_dead). The current
# task, from bpf_get_current_task_btf(), is read with CO-RE relocated loads
# for what the records do not carry: the process id of a forking thread
# (task.tgid), the parent of an exiting process (task.real_parent.tgid), its
# exit code (task.exit_code) and its name (task.comm). Every event goes
# through a ring buffer to the userspace part below, which runs the command
# and prints the processes it started as a tree:
#
#   PID     PPID    EXIT  COMM
#   4711    4710    7     sh
#   4712    4711    0     |- sleep
#   4713    4711    1     `- false
#
# EXIT is the exit status, or "sig N" for a process a signal killed. Run it
# as root, with the package on the path:
#
#   PYTHONPATH=build/dev/python python3 examples/proctree.py -- sh -c 'sleep 0.1 & /bin/false; wait'
#   PYTHONPATH=build/dev/python python3 examples/proctree.py -d 5   # every process for 5 s
#
# `pybpf compile examples/proctree.py` compiles the BPF part (the userspace
# code is ordinary Python the compiler ignores).
import argparse
import subprocess
import sys
import time

from pybpf import bpf, map, section, bpfglobal, struct, BPF
from pybpf.maps import RingBuffer
from pybpf.helper import ktime
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import TASK_COMM_LEN

EV_FORK = 1
EV_EXEC = 2
EV_EXIT = 3


@bpf
@struct
class proc_event:
    kind: c_uint32  # EV_FORK, EV_EXEC or EV_EXIT
    pid: c_uint32  # the new process (fork), the exec'ing or exiting process
    ppid: c_uint32  # its parent's process id
    tid: c_uint32  # the thread: differs from pid for threads
    exit_code: c_uint32  # task.exit_code: status << 8 | signal
    group_dead: c_uint32  # exit: the last thread of the process left
    ts: c_uint64
    comm: str(TASK_COMM_LEN)


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=256 * 1024)


@bpf
@section("tracepoint/sched/sched_process_fork")
def on_fork(ctx) -> c_int32:
    # runs in the parent; a new thread is reported too (userspace learns it
    # was one when it exits: its tid is not its process id)
    parent = bpf_get_current_task_btf()
    e = events.reserve(proc_event)
    if e is None:
        return 0
    e.kind = EV_FORK
    e.pid = ctx.child_pid
    e.tid = ctx.child_pid
    e.ppid = parent.tgid
    e.ts = ktime()
    e.comm = parent.comm
    events.submit(e)
    return 0


@bpf
@section("tracepoint/sched/sched_process_exec")
def on_exec(ctx) -> c_int32:
    task = bpf_get_current_task_btf()
    e = events.reserve(proc_event)
    if e is None:
        return 0
    e.kind = EV_EXEC
    e.pid = ctx.pid
    e.tid = ctx.pid
    e.ppid = task.real_parent.tgid
    e.ts = ktime()
    e.comm = task.comm  # the new program's name
    events.submit(e)
    return 0


@bpf
@section("tracepoint/sched/sched_process_exit")
def on_exit(ctx) -> c_int32:
    # every task's exit, threads too: userspace drops the threads it saw
    # forked, and takes the exit code when the last thread of a process leaves
    task = bpf_get_current_task_btf()
    e = events.reserve(proc_event)
    if e is None:
        return 0
    e.kind = EV_EXIT
    e.pid = task.tgid
    e.tid = ctx.pid
    e.group_dead = ctx.group_dead
    e.ppid = task.real_parent.tgid
    e.exit_code = task.exit_code
    e.ts = ktime()
    e.comm = task.comm
    events.submit(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"


class Proc:
    def __init__(self, pid, ppid, comm):
        self.pid, self.ppid, self.comm = pid, ppid, comm
        self.exit_code = None
        self.children = []


def exit_text(code):
    if code is None:
        return "-"
    if code & 0x7F:
        return f"sig {code & 0x7F}"
    return str(code >> 8 & 0xFF)


class Tree:
    """Processes seen, by pid, built from the events in the order they came."""

    def __init__(self):
        self.procs = {}

    def event(self, e):
        comm = e.comm.decode(errors="replace")
        if e.kind == EV_FORK:
            self.procs[e.pid] = Proc(e.pid, e.ppid, comm)  # a reused pid starts over
            return
        if e.kind == EV_EXIT and e.tid != e.pid:  # a thread: not a process of the tree
            self.procs.pop(e.tid, None)
            return
        p = self.procs.get(e.pid)
        if p is None:  # started before we looked
            p = self.procs[e.pid] = Proc(e.pid, e.ppid, comm)
        if e.kind == EV_EXEC:
            p.comm = comm
        elif e.group_dead:
            p.exit_code = e.exit_code

    def lines(self, root=None):
        """The tree under root (every tree without one), one line per process."""
        procs = self.procs
        for p in procs.values():
            p.children = sorted((c for c in procs.values() if c.ppid == p.pid),
                                key=lambda c: c.pid)
        if root is not None:
            tops = [procs[root]] if root in procs else []
        else:
            tops = sorted((p for p in procs.values() if p.ppid not in procs),
                          key=lambda p: p.pid)
        out = []

        def walk(p, prefix, last, top):
            branch = "" if top else prefix + ("`- " if last else "|- ")
            out.append(f"{p.pid:<7} {p.ppid:<7} {exit_text(p.exit_code):<5} {branch}{p.comm}")
            inner = "" if top else prefix + ("   " if last else "|  ")
            for i, c in enumerate(p.children):
                walk(c, inner, i == len(p.children) - 1, False)

        for t in tops:
            walk(t, "", True, True)
        return out


def parse_args(argv):
    ap = argparse.ArgumentParser(description="Show the processes a command starts as a tree.")
    ap.add_argument("-d", "--duration", type=float,
                    help="without a command: trace every process for DURATION seconds")
    ap.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = ap.parse_args(argv)
    if args.command and args.command[0] == "--":
        args.command = args.command[1:]
    if not args.command and args.duration is None:
        ap.error("give a command or -d DURATION")
    return args


def main(argv=None):
    args = parse_args(argv)
    tree = Tree()
    with BPF() as b:  # compiles this file in memory
        b.attach_all()
        b["events"].open_ring_buffer(tree.event)
        child = None
        if args.command:
            child = subprocess.Popen(args.command)
            while child.poll() is None:
                b.ring_buffer_poll(100)
        else:
            print(f"proctree: tracing for {args.duration:g} s", file=sys.stderr, flush=True)
            end = time.monotonic() + args.duration
            while time.monotonic() < end:
                b.ring_buffer_poll(100)
        b.ring_buffer_consume()
    print(f"{'PID':<7} {'PPID':<7} {'EXIT':<5} COMM")
    for line in tree.lines(child.pid if child is not None else None):
        print(line)
    return child.returncode if child is not None else 0


if __name__ == "__main__":
    sys.exit(main())
