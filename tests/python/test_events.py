"""Events against the kernel: a tracepoint and a raw tracepoint triggered by
getpid(), the ring buffer delivering exactly N of N records (callbacks,
multi-map, iterator, asyncio), the perf buffer (samples, and lost samples
when it is too small and not polled), trace_pipe and trace_fields, and
links (destroy, context manager, pin)."""

import asyncio
import ctypes
import os
import random
import shutil
import tempfile
import unittest

from pytest_common import main, open_test_object, require_root

require_root()

import pybpf  # noqa: E402

libc = ctypes.CDLL(None, use_errno=True)


def getpid_syscall(n):
    """n real getpid() system calls (os.getpid() is not cached, but be sure)."""
    for _ in range(n):
        libc.syscall(39)  # __NR_getpid on x86_64


class EventTests(unittest.TestCase):
    def setUp(self):
        self.nonce = random.randrange(1, 1 << 31)
        self.obj = open_test_object(nonce=self.nonce)
        self.link = self.obj.programs["on_getpid"].attach_tracepoint("syscalls",
                                                                     "sys_enter_getpid")
        self.event = self.obj.maps["struct_map"].value_type  # struct event, from BTF

    def tearDown(self):
        self.link.destroy()
        self.obj.close()

    def test_ring_buffer_n_of_n(self):
        n = 5000
        got = []
        # a C object carries no record type: take it from a map with that value
        self.assertEqual(self.obj.maps["events"].btf_event_type_id, 0)
        rb = pybpf.BpfRingBuffer(self.obj.maps["events"], got.append, event_type=self.event)
        getpid_syscall(n)
        total = 0
        while True:
            c = rb.poll(500)
            if c == 0:
                break
            total += c
        # every record the program wrote (the interpreter may add a getpid
        # of its own, so N is the kernel's count, at least our n), in order
        emitted = self.obj.maps["counters"][0]
        self.assertGreaterEqual(emitted, n)
        self.assertEqual(total, emitted)
        self.assertEqual(len(got), emitted)
        self.assertEqual([e.seq for e in got], list(range(1, emitted + 1)))
        self.assertEqual({e.pid for e in got}, {os.getpid()})
        self.assertEqual(type(got[0]).__name__, "event")  # decoded from BTF
        rb.close()

    def test_ring_buffer_multi_map_and_stop(self):
        events, seqs = [], []
        rb = pybpf.BpfRingBuffer()
        rb.add(self.obj.maps["events"], events.append)
        rb.add(self.obj.maps["seqs"], lambda d: seqs.append(int.from_bytes(d, "little")),
               event_type=bytes)
        getpid_syscall(10)
        self.assertEqual(rb.poll(1000) + rb.consume(), 20)
        self.assertEqual(seqs, list(range(1, 11)))
        self.assertEqual(len(events), 10)
        with self.assertRaises(pybpf.BpfError):
            rb.add(self.obj.maps["events"], events.append)  # twice

    def test_ring_buffer_callback_exception(self):
        def boom(data):
            raise ZeroDivisionError("from the callback")
        rb = pybpf.BpfRingBuffer(self.obj.maps["events"], boom)
        getpid_syscall(3)
        with self.assertRaises(ZeroDivisionError):
            rb.poll(1000)

    def test_ring_buffer_iterators(self):
        rb = pybpf.BpfRingBuffer(self.obj.maps["seqs"], event_type=int)
        getpid_syscall(4)
        self.assertEqual(list(rb.poll_iter(1000)), [1, 2, 3, 4])

        async def collect():
            out = []
            getpid_syscall(3)
            async for ev in rb:
                out.append(ev)
                if len(out) == 3:
                    return out
        evs = asyncio.run(asyncio.wait_for(collect(), 10))
        self.assertEqual([e.data for e in evs], [5, 6, 7])
        self.assertEqual({e.map_name for e in evs}, {"seqs"})

    def test_poll_async_callback(self):
        got = []
        rb = pybpf.BpfRingBuffer(self.obj.maps["events"], got.append, event_type=self.event)

        async def run():
            getpid_syscall(2)
            n = 0
            while n < 2:
                n += await rb.poll_async(timeout=5)
            return n
        n = asyncio.run(run())  # asyncio may call getpid() itself: >= 2
        self.assertGreaterEqual(n, 2)
        self.assertEqual(len(got), n)
        self.assertEqual([e.seq for e in got], list(range(1, n + 1)))

    def test_perf_buffer(self):
        samples = []
        pb = pybpf.BpfPerfBuffer(self.obj.maps["perf_events"],
                                 lambda cpu, e: samples.append((cpu, e)), event_type=self.event)
        getpid_syscall(50)
        deadline = 0
        while len(samples) < 50 and deadline < 20:
            pb.poll(100)
            deadline += 1
        self.assertEqual(len(samples), 50)
        self.assertEqual(sorted(e.seq for _, e in samples), list(range(1, 51)))
        self.assertTrue(all(0 <= cpu < pybpf.num_possible_cpus() for cpu, _ in samples))
        self.assertEqual(pb.lost, 0)
        pb.close()

    def test_perf_buffer_async(self):
        got = []
        pb = pybpf.BpfPerfBuffer(self.obj.maps["perf_events"],
                                 lambda cpu, e: got.append(e), event_type=self.event)

        async def run():
            getpid_syscall(3)
            n = 0
            while n < 3:
                n += await pb.poll_async(timeout=5)
            return n
        n = asyncio.run(asyncio.wait_for(run(), 10))
        self.assertGreaterEqual(n, 3)
        self.assertEqual(len(got), n)
        self.assertEqual(sorted(e.seq for e in got), list(range(1, n + 1)))

        # async iteration without a callback
        pb2 = pybpf.BpfPerfBuffer(self.obj.maps["perf_events"], event_type=self.event)

        async def collect():
            out = []
            getpid_syscall(2)
            async for ev in pb2:
                out.append(ev)
                if len(out) == 2:
                    return out
        evs = asyncio.run(asyncio.wait_for(collect(), 10))
        self.assertEqual(len(evs), 2)
        pb.close()
        pb2.close()

    def test_perf_buffer_lost(self):
        lost = []
        samples = []
        pb = pybpf.BpfPerfBuffer(self.obj.maps["perf_events"],
                                 lambda cpu, e: samples.append(e),
                                 lost_callback=lambda cpu, cnt: lost.append(cnt), page_cnt=1,
                                 event_type=self.event)
        getpid_syscall(2000)  # 2000 * 40+ bytes >> one page, not polled
        for _ in range(3):
            pb.poll(100)
        # the kernel reports the loss with the next record that fits
        for cpu in range(os.cpu_count()):
            os.sched_setaffinity(0, {cpu})
            getpid_syscall(1)
        os.sched_setaffinity(0, range(os.cpu_count()))
        for _ in range(3):
            pb.poll(100)
        self.assertGreater(sum(lost), 0)
        self.assertEqual(len(samples) + sum(lost), self.obj.maps["counters"][0])
        self.assertEqual(pb.lost, sum(lost))

    def test_trace_pipe(self):
        getpid_syscall(3)
        seen = []
        for ev in pybpf.trace_fields(timeout_ms=2000):
            if "nonce=%d " % self.nonce in ev.msg:
                seen.append(ev)
                if len(seen) == 3:
                    break
        self.assertEqual(len(seen), 3)
        self.assertEqual({ev.pid for ev in seen}, {os.getpid()})
        self.assertEqual([ev.msg.split("seq=")[1] for ev in seen], ["1", "2", "3"])
        self.assertIsInstance(seen[0].ts, float)
        self.assertIsInstance(seen[0].cpu, int)

    def test_raw_tracepoint_and_link_lifetime(self):
        counters = self.obj.maps["counters"]
        with self.obj.programs["on_sys_enter"].attach_raw_tracepoint("sys_enter") as link:
            self.assertGreater(link.fd, 0)
            getpid_syscall(10)
            self.assertGreaterEqual(counters[1], 10)
        before = counters[1]
        self.assertTrue(link.destroyed)
        getpid_syscall(10)
        self.assertEqual(counters[1], before)

    def test_attach_all_and_pinned_link(self):
        self.link.destroy()
        counters = self.obj.maps["counters"]
        self.obj.attach_all()
        self.assertTrue(self.obj.programs["on_getpid"].attached)
        getpid_syscall(3)
        self.assertEqual(counters[0], 3)
        self.obj.detach_all()
        getpid_syscall(3)
        self.assertEqual(counters[0], 3)
        pybpf._pybpf.mount_bpffs()
        d = tempfile.mkdtemp(prefix="pbt5e", dir="/sys/fs/bpf")
        try:
            link = self.obj.programs["on_getpid"].attach()
            path = os.path.join(d, "link")
            link.pin(path)
            link.destroy()  # pinned: stays attached
            getpid_syscall(2)
            self.assertEqual(counters[0], 5)
            again = pybpf.open_pinned_link(path)
            again.unpin()
            again.destroy()
            getpid_syscall(2)
            self.assertEqual(counters[0], 5)
            self.assertFalse(os.path.exists(path))
        finally:
            shutil.rmtree(d, ignore_errors=True)
        self.link = self.obj.programs["on_getpid"].attach()


if __name__ == "__main__":
    main()
