"""obj.globals against the kernel (root), on py_test.bpf.o: .rodata
(target_pid, nonce), .data (step, label) and .bss (hits) read and written
before load (the initial image), .data/.bss read and written after load
(through the kernel's map), .rodata refusing writes after load with EPERM,
and the values the BPF program sees (its filter on target_pid, its
records' seq = hits + step, hits counted by the program).
"""

import ctypes
import errno
import os
import unittest

from pytest_common import TEST_OBJ, main, require_root

require_root()

import pybpf  # noqa: E402

libc = ctypes.CDLL(None, use_errno=True)


def getpid_syscall(n):
    for _ in range(n):
        libc.syscall(39)  # __NR_getpid on x86_64


class GlobalsTests(unittest.TestCase):
    def open(self):
        obj = pybpf.open(TEST_OBJ)
        self.addCleanup(obj.close)
        return obj

    def attach(self, obj):
        link = obj.programs["on_getpid"].attach_tracepoint("syscalls", "sys_enter_getpid")
        self.addCleanup(link.destroy)
        return link

    def test_before_load(self):
        obj = self.open()
        g = obj.globals
        names = {"target_pid", "nonce", "hits", "step", "label"}
        # exactly these: bpf_printk's function-local static format string
        # ("on_getpid.____fmt" in .rodata) is compiler-internal, not listed
        self.assertEqual(names, set(g))
        self.assertEqual({n: g.section(n) for n in names},
                         {"target_pid": ".rodata", "nonce": ".rodata", "hits": ".bss",
                          "step": ".data", "label": ".data"})
        # the initial image, as the C source has it
        self.assertEqual((g.target_pid, g.nonce, g.hits, g.step), (0, 0, 0, 1))
        self.assertEqual(g.label, b"pybpf")
        self.assertEqual(g.raw("label"), b"pybpf\0\0\0")
        self.assertEqual(g.raw("step"), (1).to_bytes(4, "little"))
        g.target_pid = 4242
        g.nonce = 0xFFFFFFFF
        g.step = 7
        g.hits = 1 << 40
        g.label = "abc"
        self.assertEqual((g.target_pid, g.nonce, g.step, g.hits), (4242, 0xFFFFFFFF, 7, 1 << 40))
        self.assertEqual(g.raw("label"), b"abc\0\0\0\0\0")
        g.label = b"12345678"  # exactly the size: no terminator needed
        self.assertEqual(g.raw("label"), b"12345678")
        with self.assertRaises(ValueError):
            g.label = "123456789"
        with self.assertRaises(ValueError):
            g.step = b"\1\2"  # bytes of the wrong size
        with self.assertRaises(AttributeError):
            g.no_such_global
        with self.assertRaises(AttributeError):
            g.no_such_global = 1
        self.assertNotIn("no_such_global", g)

    def test_values_seen_by_program(self):
        obj = self.open()
        obj.globals.target_pid = os.getpid()
        obj.globals.step = 10
        obj.globals.hits = 100
        obj.load()
        # loaded: the values set before load are what the kernel has
        self.assertEqual((obj.globals.target_pid, obj.globals.step, obj.globals.hits),
                         (os.getpid(), 10, 100))
        seqs = []
        rb = pybpf.BpfRingBuffer(obj.maps["seqs"], seqs.append, event_type=int)
        self.addCleanup(rb.close)
        self.attach(obj)
        getpid_syscall(3)
        rb.poll(1000)
        counted = obj.maps["counters"][0]  # the interpreter may call getpid too
        self.assertGreaterEqual(counted, 3)
        # the program adds to .bss hits; seq = hits (before ++) + step
        self.assertEqual(obj.globals.hits, 100 + counted)
        self.assertEqual(seqs, [110 + i for i in range(counted)])

        # .data and .bss written after load: the program sees the new values
        obj.globals.step = 1000
        obj.globals.hits = 5
        self.assertEqual((obj.globals.step, obj.globals.hits), (1000, 5))
        del seqs[:]
        getpid_syscall(2)
        rb.poll(1000)
        more = obj.maps["counters"][0] - counted
        self.assertGreaterEqual(more, 2)
        self.assertEqual(seqs, [1005 + i for i in range(more)])
        self.assertEqual(obj.globals.hits, 5 + more)
        obj.globals.label = "after"
        self.assertEqual(obj.globals.label, b"after")

    def test_rodata_filters_and_is_read_only_after_load(self):
        obj = self.open()
        obj.globals.target_pid = os.getpid() + 1  # not us: the program ignores us
        obj.globals.nonce = 77
        obj.load()
        self.attach(obj)
        getpid_syscall(5)
        self.assertEqual(obj.maps["counters"][0], 0)
        self.assertEqual(obj.globals.hits, 0)
        with self.assertRaises(pybpf.BpfError) as cm:
            obj.globals.target_pid = os.getpid()
        self.assertEqual(cm.exception.errno, errno.EPERM)
        with self.assertRaises(pybpf.BpfError) as cm:
            obj.globals.nonce = 1
        self.assertEqual(cm.exception.errno, errno.EPERM)
        # unchanged, and still readable
        self.assertEqual((obj.globals.target_pid, obj.globals.nonce), (os.getpid() + 1, 77))
        getpid_syscall(5)
        self.assertEqual(obj.maps["counters"][0], 0)

    def test_two_objects_have_their_own_globals(self):
        a, b = self.open(), self.open()
        a.globals.target_pid = os.getpid()
        b.globals.target_pid = 1
        a.load()
        b.load()
        a.globals.hits = 50
        self.assertEqual(b.globals.hits, 0)
        self.attach(a)
        self.attach(b)
        getpid_syscall(2)
        self.assertGreaterEqual(a.globals.hits, 52)
        self.assertEqual(b.globals.hits, 0)

    def test_after_close(self):
        obj = pybpf.open(TEST_OBJ)
        g = obj.globals
        obj.close()
        with self.assertRaises(pybpf.BpfError):
            g.step


if __name__ == "__main__":
    main()
