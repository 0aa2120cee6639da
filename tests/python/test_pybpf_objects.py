"""Objects compiled by pybpf's own compiler (bpf/py_events_prog.py, in
memory with pybpf.oneshot.compile_source, and with the pybpf CLI) loaded
with pybpf.load(bytes) against the kernel (root): ring buffer and perf
event array records decoded as the program's @struct without being told
the type (from the record type the compiler puts in BTF), field values
checked against what this process knows (pid, comm, a cookie it chose); a
HashMap with @struct values; a per-CPU array read as lists.
"""

import ctypes
import os
import random
import subprocess
import tempfile
import unittest

from pytest_common import main, require_root

require_root()

import pybpf  # noqa: E402
from pybpf.oneshot import compile_source  # noqa: E402

PROG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bpf", "py_events_prog.py")
# the CLI next to the package: <build>/pybpf for PYTHONPATH=<build>/python
PYBPF_BIN = os.environ.get("PYBPF_CLI") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(pybpf.__file__)))), "pybpf")
libc = ctypes.CDLL(None, use_errno=True)
N = 25


def getppid_syscall(n):
    for _ in range(n):
        libc.syscall(110)  # __NR_getppid on x86_64


def my_comm():
    with open("/proc/self/comm", "rb") as f:
        return f.read().rstrip(b"\n")[:15]


class PybpfObjectTests(unittest.TestCase):
    def object_bytes(self):
        with open(PROG) as f:
            return compile_source(f.read(), PROG)

    def setUp(self):
        self.obj = pybpf.load(self.object_bytes())
        self.addCleanup(self.obj.close)
        self.cookie = random.randrange(1 << 33, 1 << 63)
        cfg = self.obj.maps["cfg"]
        cfg[0] = os.getpid()
        cfg[1] = self.cookie
        # one CPU, so the per-CPU count (the records' seq) runs 1..N
        self.cpu = min(os.sched_getaffinity(0))
        old = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {self.cpu})
        self.addCleanup(os.sched_setaffinity, 0, old)

    def trigger(self):
        link = self.obj.programs["on_getppid"].attach_tracepoint("syscalls", "sys_enter_getppid")
        getppid_syscall(N)
        link.destroy()
        return self.obj.maps["calls"][0][self.cpu]  # the interpreter may call getppid too

    def check_events(self, events, n):
        self.assertEqual(len(events), n)
        self.assertEqual(type(events[0]).__name__, "event")  # decoded from BTF by itself
        self.assertEqual([e.seq for e in events], list(range(1, n + 1)))
        for e in events:
            self.assertEqual((e.pid, e.cookie, bytes(e.comm).rstrip(b"\0")),
                             (os.getpid(), self.cookie, my_comm()))

    def test_record_types_in_btf(self):
        ring, perf = self.obj.maps["ring"], self.obj.maps["perf"]
        self.assertGreater(ring.btf_event_type_id, 0)
        self.assertEqual(ring.btf_event_type_id, perf.btf_event_type_id)
        self.assertEqual(self.obj.btf_type(ring.btf_event_type_id).__name__, "event")

    def test_globals(self):
        # exactly the program's globals: the f-string's format constant and
        # the record-type variables are compiler-internal
        self.assertEqual(list(self.obj.globals), ["triggered"])
        n = self.trigger()
        self.assertEqual(self.obj.globals.triggered, n)

    def test_ring_buffer(self):
        got = []
        rb = pybpf.BpfRingBuffer(self.obj.maps["ring"], got.append)
        self.addCleanup(rb.close)
        n = self.trigger()
        self.assertGreaterEqual(n, N)
        while rb.poll(200) > 0:
            pass
        self.check_events(got, n)
        # iterator mode decodes too
        rb2 = pybpf.BpfRingBuffer(self.obj.maps["ring"])
        self.addCleanup(rb2.close)
        m = self.trigger() - n
        got2 = list(rb2.poll_iter(1000))
        self.assertEqual(len(got2), m)
        self.assertEqual([e.seq for e in got2], list(range(n + 1, n + m + 1)))

    def test_perf_event_array(self):
        got = []
        pb = pybpf.BpfPerfBuffer(self.obj.maps["perf"], lambda cpu, e: got.append((cpu, e)))
        self.addCleanup(pb.close)
        n = self.trigger()
        for _ in range(20):
            if len(got) >= n:
                break
            pb.poll(100)
        self.assertEqual({cpu for cpu, _ in got}, {self.cpu})
        self.check_events([e for _, e in got], n)
        self.assertEqual(pb.lost, 0)

    def test_hash_map_struct_values(self):
        last = self.obj.maps["last"]
        self.assertEqual(last.value_type.__name__, "event")
        self.assertEqual(len(last), 0)
        n = self.trigger()
        self.assertEqual(list(last.keys()), [os.getpid()])
        e = last[os.getpid()]
        self.assertEqual((e.pid, e.seq, e.cookie, bytes(e.comm).rstrip(b"\0")),
                         (os.getpid(), n, self.cookie, my_comm()))
        # written back from Python as a struct, read back
        e.seq = 12345
        last[7] = e
        self.assertEqual(last[7].seq, 12345)
        self.assertEqual(last[7].cookie, self.cookie)

    def test_percpu_array_lists(self):
        calls = self.obj.maps["calls"]
        self.assertEqual(calls.type, pybpf.BpfMapType.PERCPU_ARRAY)
        ncpus = pybpf.num_possible_cpus()
        self.assertEqual(calls[0], [0] * ncpus)
        n = self.trigger()
        v = calls[0]
        self.assertIsInstance(v, list)
        self.assertEqual(len(v), ncpus)
        self.assertEqual(v[self.cpu], n)
        self.assertEqual(sum(v), n)  # only that CPU ran it
        self.assertEqual(calls.sum(0), n)
        self.assertEqual(calls[1], [0] * ncpus)
        calls[1] = list(range(ncpus))
        self.assertEqual(calls[1], list(range(ncpus)))


class CliObjectTests(PybpfObjectTests):
    """The same, with the object written by the pybpf CLI."""

    def object_bytes(self):
        self.assertTrue(os.access(PYBPF_BIN, os.X_OK), "no pybpf CLI at %r" % PYBPF_BIN)
        with tempfile.TemporaryDirectory(prefix="pbt5o") as d:
            out = os.path.join(d, "prog.bpf.o")
            subprocess.run([PYBPF_BIN, "compile", PROG, "-o", out], check=True, timeout=60)
            with open(out, "rb") as f:
                return f.read()


if __name__ == "__main__":
    main()
