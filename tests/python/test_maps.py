"""Maps through the Python API against the kernel: every map kind of
py_test.bpf.o, BTF-decoded keys and values, per-CPU lists, batch
operations, queues, clear/pop, pinning and pinned maps, max_entries."""

import ctypes
import os
import shutil
import tempfile
import unittest

from pytest_common import TEST_OBJ, main, open_test_object, require_root

require_root()

import pybpf  # noqa: E402


class Event(ctypes.Structure):
    _fields_ = [("pid", ctypes.c_uint32), ("seq", ctypes.c_uint32), ("ts", ctypes.c_uint64),
                ("comm", ctypes.c_char * 16)]


class MapTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.obj = open_test_object()

    @classmethod
    def tearDownClass(cls):
        cls.obj.close()

    def setUp(self):
        for name in ("hash_map", "percpu_hash", "lru_map", "struct_map"):
            self.obj.maps[name].clear()

    def test_collections(self):
        self.assertIn("hash_map", self.obj.maps)
        self.assertIn("on_getpid", self.obj.programs)
        self.assertIs(self.obj.map("hash_map"), self.obj.maps["hash_map"])
        with self.assertRaises(KeyError):
            self.obj.map("nope")
        with self.assertRaises(KeyError):
            self.obj.program("nope")
        m = self.obj.maps["hash_map"]
        self.assertEqual((m.type, m.key_size, m.value_size, m.max_entries),
                         (pybpf.BpfMapType.HASH, 4, 8, 128))
        self.assertGreater(m.fd, 0)
        info = m.info
        self.assertIsInstance(info, pybpf.MapInfo)
        self.assertEqual((info.name, info.type, info.max_entries), ("hash_map",
                                                                    pybpf.BpfMapType.HASH, 128))
        self.assertGreater(info.id, 0)

    def test_hash_dict_like(self):
        m = self.obj.maps["hash_map"]
        m[1] = 10
        m.update(2, 20)
        m[b"\x03\0\0\0"] = (30).to_bytes(8, "little")
        self.assertEqual(m[1], 10)
        self.assertEqual(m[3], 30)
        self.assertIsInstance(m[2], int)
        self.assertEqual(m.lookup(4), None)
        self.assertEqual(m.get(4, "dflt"), "dflt")
        self.assertIn(2, m)
        self.assertNotIn(4, m)
        with self.assertRaises(KeyError):
            m[4]
        self.assertEqual(sorted(m.keys()), [1, 2, 3])
        self.assertEqual(sorted(m.values()), [10, 20, 30])
        self.assertEqual(sorted(m.items()), [(1, 10), (2, 20), (3, 30)])
        self.assertEqual(sorted(iter(m)), [1, 2, 3])
        self.assertEqual(len(m), 3)
        self.assertTrue(m.delete(1))
        self.assertFalse(m.delete(1))
        del m[2]
        with self.assertRaises(KeyError):
            del m[2]
        self.assertEqual(m.pop(3), 30)
        self.assertEqual(m.pop(3, None), None)
        self.assertEqual(len(m), 0)

    def test_update_flags(self):
        m = self.obj.maps["hash_map"]
        m.update(7, 1, pybpf.BPF_NOEXIST)
        with self.assertRaises(pybpf.BpfError) as cm:
            m.update(7, 2, pybpf.BPF_NOEXIST)
        self.assertEqual(cm.exception.errno, 17)  # EEXIST
        with self.assertRaises(pybpf.BpfError) as cm:
            m.update(8, 2, flags=pybpf.BPF_EXIST)
        self.assertEqual(cm.exception.errno, 2)  # ENOENT
        m.update(7, 3, pybpf.BPF_EXIST)
        self.assertEqual(m[7], 3)

    def test_bad_keys_and_values(self):
        m = self.obj.maps["hash_map"]
        with self.assertRaises(ValueError):
            m[b"\x01\x00"] = 1  # 2 bytes for a 4-byte key
        with self.assertRaises(OverflowError):
            m[1 << 32] = 1
        with self.assertRaises(OverflowError):
            m[-1] = 1  # the key is unsigned
        with self.assertRaises(TypeError):
            m[1] = object()

    def test_array_signed_and_clear(self):
        m = self.obj.maps["array_map"]
        m[3] = -5
        self.assertEqual(m[3], -5)
        self.assertEqual(len(m), 16)
        self.assertEqual(m.clear(), 16)
        self.assertEqual(m[3], 0)
        with self.assertRaises(pybpf.BpfError):
            m[16] = 1  # out of range: E2BIG

    def test_percpu_hash(self):
        m = self.obj.maps["percpu_hash"]
        n = pybpf.num_possible_cpus()
        self.assertTrue(m.is_percpu)
        self.assertEqual(m.ncpus, n)
        m[1] = list(range(100, 100 + n))
        self.assertEqual(m[1], list(range(100, 100 + n)))
        self.assertEqual(m.sum(1), sum(range(100, 100 + n)))
        m[2] = 7  # one value for every CPU
        self.assertEqual(m[2], [7] * n)
        with self.assertRaises(ValueError):
            m[3] = [1] * (n + 1)

    def test_percpu_array(self):
        m = self.obj.maps["percpu_array"]
        n = pybpf.num_possible_cpus()
        m[0] = [i * 3 for i in range(n)]
        self.assertEqual(m[0], [i * 3 for i in range(n)])
        self.assertEqual(m[1], [0] * n)
        items = dict(m.items())
        self.assertEqual(items[0], [i * 3 for i in range(n)])

    def test_lru_evicts(self):
        m = self.obj.maps["lru_map"]
        for i in range(64):
            m[i] = i
        self.assertLessEqual(len(m), 8)
        self.assertIn(63, m)  # the most recent survives

    def test_struct_values_btf_decoded(self):
        m = self.obj.maps["struct_map"]
        m[1] = Event(pid=4, seq=5, ts=6, comm=b"hello")
        m[2] = (7, 8, 9, b"tuple")
        m[3] = {"pid": 10, "comm": b"dict"}
        v = m[1]
        self.assertEqual((v.pid, v.seq, v.ts, v.comm), (4, 5, 6, b"hello"))
        self.assertEqual(type(v).__name__, "event")
        self.assertIn("pid=4", repr(v))
        self.assertIn("comm=b'hello'", repr(v))
        self.assertEqual(m[2].comm, b"tuple")
        self.assertEqual(m[3]._asdict(), {"pid": 10, "seq": 0, "ts": 0, "comm": b"dict"})
        self.assertEqual(m.value_type.__name__, "event")
        self.assertIs(m.key_type, int)

    def test_typed_override(self):
        m = self.obj.maps["struct_map"]
        m[5] = Event(pid=1)
        raw = m.typed(value=bytes)[5]
        self.assertIsInstance(raw, bytes)
        self.assertEqual(len(raw), 32)
        self.assertIsInstance(m.typed(value=Event)[5], Event)

    def test_batch(self):
        m = self.obj.maps["hash_map"]
        keys = list(range(1, 101))
        self.assertEqual(m.update_batch(keys, [k * 2 for k in keys]), 100)
        got = m.lookup_batch(batch_size=7)
        self.assertEqual(sorted(got), [(k, k * 2) for k in keys])
        self.assertEqual(m.delete_batch(keys[:50]), 50)
        self.assertEqual(sorted(m.keys()), keys[50:])
        pm = self.obj.maps["percpu_hash"]
        n = pybpf.num_possible_cpus()
        pm.update_batch([1, 2], [[1] * n, list(range(n))])
        self.assertEqual(sorted(pm.lookup_batch()), [(1, [1] * n), (2, list(range(n)))])

    def test_queue(self):
        # the kernel keeps no BTF for queue values: say the type
        q = self.obj.maps["queue_map"].typed(value=int)
        for v in (5, 6, 7):
            q.push(v)
        self.assertEqual([q.pop(), q.pop(), q.pop()], [5, 6, 7])
        self.assertIsNone(q.pop(None, None))
        with self.assertRaises(KeyError):
            q.pop()

    def test_pin_and_open_pinned(self):
        pybpf._pybpf.mount_bpffs()
        d = tempfile.mkdtemp(prefix="pbt5m", dir="/sys/fs/bpf")
        try:
            m = self.obj.maps["hash_map"]
            m[11] = 111
            path = os.path.join(d, "hash_map")
            m.pin(path)
            self.assertTrue(os.path.exists(path))
            with pybpf.open_pinned_map(path, key_type=int, value_type=int) as pm:
                self.assertTrue(pm.is_standalone)
                self.assertEqual(pm[11], 111)
                pm[12] = 121  # the same kernel map
                self.assertEqual(pm.info.name, "hash_map")
            self.assertEqual(m[12], 121)
            with pybpf.open_pinned_map(path) as raw:
                self.assertEqual(raw[(11).to_bytes(4, "little")], (111).to_bytes(8, "little"))
            m.unpin(path)
            self.assertFalse(os.path.exists(path))
            with self.assertRaises(pybpf.BpfError) as cm:
                pybpf.open_pinned_map(path)
            self.assertEqual(cm.exception.errno, 2)
        finally:
            shutil.rmtree(d, ignore_errors=True)

    def test_closed_object(self):
        obj = open_test_object()
        m = obj.maps["hash_map"]
        obj.close()
        with self.assertRaises(pybpf.BpfError) as cm:
            m[1]
        self.assertEqual(cm.exception.errno, 9)  # EBADF


class BeforeLoadTests(unittest.TestCase):
    def test_max_entries_and_autoload(self):
        obj = pybpf.open(TEST_OBJ)
        try:
            m = obj.maps["hash_map"]
            m.max_entries = 4
            self.assertEqual(m.max_entries, 4)
            prog = obj.programs["on_kprobe"]
            self.assertTrue(prog.autoload)
            prog.autoload = False
            obj.load()
            self.assertEqual(m.info.max_entries, 4)
            for i in range(4):
                m[i] = i
            with self.assertRaises(pybpf.BpfError) as cm:
                m[4] = 4
            self.assertEqual(cm.exception.errno, 7)  # E2BIG: full
            self.assertLess(prog.fd, 0)  # not loaded
            self.assertGreater(obj.programs["on_getpid"].fd, 0)
            with self.assertRaises(pybpf.BpfError):
                m.max_entries = 8  # too late
        finally:
            obj.close()


if __name__ == "__main__":
    main()
