"""One-shot use against the kernel (root): BPF() compiled in memory, loaded,
attached, triggered and read; the oneshot example; pythonbpf's spelling;
an object written by compile() loaded; close() detaching.

Run as root: PYTHONPATH=<build>/python python3 tests/python/test_oneshot_kernel.py
"""

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

import pybpf

SOURCE_DIR = os.environ.get("PYBPF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(pybpf.__file__)))
BPFTOOL = shutil.which("bpftool") or next(
    (p for p in ("/usr/sbin/bpftool", "/sbin/bpftool") if os.path.exists(p)), None)

SYSCALLS = textwrap.dedent("""\
    from pybpf import bpf, map, section, bpfglobal
    from pybpf.maps import HashMap
    from pybpf.helper import pid
    from ctypes import c_void_p, c_int32, c_uint32, c_uint64


    @bpf
    @map
    def counts() -> HashMap:
        return HashMap(key=c_uint32, value=c_uint64, max_entries=4096)


    @bpf
    @section("raw_tp/sys_enter")
    def count_sys(ctx: c_void_p) -> c_int32:
        counts[pid()] += 1
        return 0


    @bpf
    @bpfglobal
    def LICENSE() -> str:
        return "GPL"
    """)


def run_python(args, **kw):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable] + args, env=env, capture_output=True, text=True,
                          timeout=60, **kw)


def my_syscall_count(m):
    m.typed(key=ctypes.c_uint32, value=ctypes.c_uint64)
    return m.get(os.getpid(), 0)


def prog_gone(prog_id, timeout=3.0):
    """Whether the kernel no longer has the program (it frees it
    asynchronously after the last link and fd are closed)."""
    deadline = time.monotonic() + timeout
    while True:
        r = subprocess.run([BPFTOOL, "prog", "show", "id", str(prog_id)], capture_output=True)
        if r.returncode != 0:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


class TestBPF(unittest.TestCase):
    def test_in_memory_load_attach_read(self):
        with pybpf.BPF(text=SYSCALLS, name="syscalls.py") as b:
            self.assertIs(b.load(), b)
            self.assertTrue(b.loaded)
            self.assertIs(b.attach_all(), b)
            for _ in range(20):
                os.getppid()
            first = my_syscall_count(b["counts"])
            self.assertGreaterEqual(first, 20)
            for _ in range(10):
                os.getppid()
            self.assertGreaterEqual(my_syscall_count(b.maps["counts"]) - first, 10)
            prog_id = b["count_sys"].info.id
            self.assertGreater(prog_id, 0)
        if BPFTOOL:  # close() detached and unloaded it
            self.assertTrue(prog_gone(prog_id))

    def test_attach_loads_first(self):
        b = pybpf.BPF(text=SYSCALLS)
        try:
            b.load_and_attach()
            self.assertTrue(b.loaded)
            os.getppid()
            self.assertGreater(my_syscall_count(b["counts"]), 0)
        finally:
            b.close()
        b.close()  # idempotent

    def test_compiled_object_loads(self):
        d = tempfile.mkdtemp(prefix="pybpf_oneshot_k_")
        self.addCleanup(shutil.rmtree, d)
        prog = os.path.join(d, "sys.py")
        with open(prog, "w") as f:
            f.write(SYSCALLS)
        out = pybpf.compile(prog)
        with pybpf.load(out) as obj:
            self.assertEqual(obj.attach_all(), 1)
            os.getppid()
            self.assertGreater(my_syscall_count(obj.maps["counts"]), 0)


class TestScripts(unittest.TestCase):
    def test_example(self):
        example = os.path.join(SOURCE_DIR, "examples", "oneshot_counter.py")
        r = run_python([example], cwd="/")
        self.assertEqual(r.returncode, 0, r.stderr)
        # the child execs three times under one pid (sh -> sh -> true)
        self.assertRegex(r.stdout, r"(?m)^child \d+: 3 execs$")
        self.assertRegex(r.stdout, r"(?m)^\d+ processes exec'd while attached$")

    def test_pythonbpf_spelling(self):
        src = SYSCALLS.replace("from pybpf", "from pythonbpf").replace(
            "from pythonbpf import bpf, map, section, bpfglobal",
            "from pythonbpf import bpf, map, section, bpfglobal, BPF")
        src += textwrap.dedent("""\
            import os
            b = BPF()
            b.load()
            b.attach_all()
            for _ in range(5):
                os.getppid()
            m = b["counts"]
            print("count", int.from_bytes(m[os.getpid().to_bytes(4, "little")], "little")
                  if m.key_type is bytes else m[os.getpid()])
            b.close()
            """)
        d = tempfile.mkdtemp(prefix="pybpf_oneshot_k_")
        self.addCleanup(shutil.rmtree, d)
        prog = os.path.join(d, "pbpf.py")
        with open(prog, "w") as f:
            f.write(src)
        r = run_python([prog])
        self.assertEqual(r.returncode, 0, r.stderr)
        n = int(re.search(r"count (\d+)", r.stdout).group(1))
        self.assertGreaterEqual(n, 5)
        self.assertEqual(os.listdir(d), ["pbpf.py"])


EVENTS = textwrap.dedent("""\
    import os
    from pythonbpf import bpf, map, section, bpfglobal, struct, BPF
    from pythonbpf.helper import pid, comm
    from pythonbpf.maps import PerfEventArray, RingBuffer
    from ctypes import c_void_p, c_int64, c_uint32


    @bpf
    @struct
    class event:
        pid: c_uint32
        comm: str(16)


    @bpf
    @map
    def events() -> PerfEventArray:
        return PerfEventArray(key_size=c_uint32, value_size=c_uint32)


    @bpf
    @map
    def ring() -> RingBuffer:
        return RingBuffer(max_entries=16384)


    @bpf
    @section("tracepoint/syscalls/sys_enter_getppid")
    def on_getppid(ctx: c_void_p) -> c_int64:
        e = event()
        e.pid = pid()
        comm(e.comm)
        events.output(e)
        ring.output(e)
        return 0


    @bpf
    @bpfglobal
    def LICENSE() -> str:
        return "GPL"


    perf, rb = [], []
    b = BPF()
    b.load_and_attach()
    b["events"].open_perf_buffer(lambda cpu, ev: perf.append(ev), struct_name="event")
    b["ring"].open_ring_buffer(lambda ev: rb.append(ev), struct_name="event")
    for _ in range(5):
        os.getppid()
    me = os.getpid()
    for _ in range(20):
        if len([e for e in perf if e.pid == me]) >= 5:
            break
        b["events"].poll(100)
    b.ring_buffer_poll(100)
    for name, evs in (("perf", perf), ("ring", rb)):
        mine = [e for e in evs if e.pid == me]
        print(name, len(mine), type(mine[0]).__name__ if mine else "-",
              mine[0].comm.decode() if mine else "-")
    b.close()
    """)


TRACE = textwrap.dedent("""\
    import os
    from pythonbpf import bpf, section, bpfglobal, BPF, trace_fields
    from pythonbpf.helper import pid
    from ctypes import c_void_p, c_int64


    @bpf
    @section("tracepoint/syscalls/sys_enter_getppid")
    def marker(ctx: c_void_p) -> c_int64:
        print(f"pybpf-oneshot-marker {pid()}")
        return 0


    @bpf
    @bpfglobal
    def LICENSE() -> str:
        return "GPL"


    b = BPF()
    b.load_and_attach()
    os.getppid()
    while True:
        task, p, cpu, flags, ts, msg = trace_fields()
        if msg == f"pybpf-oneshot-marker {os.getpid()}":
            print("traced", p == os.getpid(), ts > 0)
            break
    b.close()
    """)


class TestEvents(unittest.TestCase):
    def test_trace_fields_pythonbpf_style(self):
        d = tempfile.mkdtemp(prefix="pybpf_oneshot_k_")
        self.addCleanup(shutil.rmtree, d)
        prog = os.path.join(d, "trace.py")
        with open(prog, "w") as f:
            f.write(TRACE)
        r = run_python([prog])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "traced True True")

    def test_perf_and_ring_buffers_pythonbpf_style(self):
        d = tempfile.mkdtemp(prefix="pybpf_oneshot_k_")
        self.addCleanup(shutil.rmtree, d)
        prog = os.path.join(d, "evts.py")
        with open(prog, "w") as f:
            f.write(EVENTS)
        r = run_python([prog])
        self.assertEqual(r.returncode, 0, r.stderr)
        comm = os.path.basename(sys.executable)[:15]
        # exactly the 5 getppid() calls, decoded into the file's @struct class
        self.assertIn(f"perf 5 event {comm}", r.stdout)
        self.assertIn(f"ring 5 event {comm}", r.stdout)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("SKIP: needs root (loads BPF programs into the kernel)")
        sys.exit(0)
    unittest.main(verbosity=2)
