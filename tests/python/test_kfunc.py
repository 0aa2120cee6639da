"""kfuncs against the kernel (root): a tracepoint program compiled from
Python source calls bpf_task_from_pid, bpf_task_acquire, bpf_task_release,
bpf_rcu_read_lock/unlock and the string kfuncs bpf_strlen/bpf_strcmp (memory
arguments: a string constant, a buffer variable), reads the tasks' fields through the BTF
pointers they return, and stores them; the values are compared with what
this process knows (getpid, getppid, gettid). Also checks the object: the
kfuncs are extern BTF FUNCs in DATASEC .ksyms and every call has an
R_BPF_64_32 relocation against its kfunc, as clang emits for `__ksym`.
And examples/exec_parents.py, attached, records this process's children.

Run as root: PYTHONPATH=<build>/python python3 tests/python/test_kfunc.py
"""

import ctypes
import os
import re
import shutil
import subprocess
import tempfile
import threading
import unittest

from pytest_common import main, require_root

require_root()

import pybpf  # noqa: E402

BPFTOOL = shutil.which("bpftool") or next(
    (p for p in ("/usr/sbin/bpftool", "/sbin/bpftool") if os.path.exists(p)), None)
EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "examples")
OBJDUMP = shutil.which("llvm-objdump-19") or shutil.which("llvm-objdump")

SOURCE = """\
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import pid, comm
from ctypes import c_void_p, c_int32, c_int64, c_uint32
from vmlinux import bpf_task_from_pid, bpf_task_acquire, bpf_task_release
from vmlinux import bpf_rcu_read_lock, bpf_rcu_read_unlock, bpf_strlen, bpf_strcmp


@bpf
@map
def seen() -> HashMap:
    return HashMap(key=c_uint32, value=c_int64, max_entries=16)


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def on_getppid(ctx: c_void_p) -> c_int32:
    me = pid()
    if me != MARK_PID:
        return 0
    t = bpf_task_from_pid(me)
    if t:
        seen[0] = t.tgid
        seen[1] = t.real_parent.tgid
        bpf_task_release(t)
    else:
        seen[9] = -1
    cur = bpf_task_acquire(bpf_get_current_task_btf())
    if cur:
        seen[2] = cur.pid
        seen[3] = cur.tgid
        bpf_task_release(cur)
    bpf_rcu_read_lock()
    seen[4] = bpf_get_current_task_btf().real_parent.real_parent.tgid
    bpf_rcu_read_unlock()
    # no task has this pid: None
    gone = bpf_task_from_pid(-3)
    if gone:
        seen[5] = 1
        bpf_task_release(gone)
    else:
        seen[5] = 2
    # memory arguments: a string constant, a buffer variable
    seen[6] = bpf_strlen("hello")
    name: str(16) = ""
    comm(name)
    seen[7] = bpf_strlen(name)
    seen[8] = bpf_strcmp(name, "MARK_COMM")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""


def grandparent_tgid():
    with open("/proc/%d/stat" % os.getppid()) as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


class TestKfunc(unittest.TestCase):
    comm = open("/proc/self/comm").read().strip()

    def compile_to(self, d, opt):
        src = os.path.join(d, "kfunc.py")
        with open(src, "w") as f:
            f.write(SOURCE.replace("MARK_PID", str(os.getpid()))
                    .replace("MARK_COMM", self.comm))
        out = os.path.join(d, "kfunc%s.bpf.o" % opt)
        return pybpf.compile(src, out, opt=opt)

    def check_run(self, obj_path):
        with pybpf.load(obj_path) as obj:
            obj.attach_all()
            m = obj.maps["seen"]
            m.typed(key=ctypes.c_uint32, value=ctypes.c_int64)
            # from another thread, so the task's pid differs from its tgid
            tids = []

            def call():
                tid = threading.get_native_id()
                with open("/proc/self/task/%d/comm" % tid) as f:
                    tids.append((tid, f.read().strip()))
                os.getppid()

            th = threading.Thread(target=call)
            th.start()
            th.join()
            got = {k: m.get(k) for k in range(10) if m.get(k) is not None}
        self.assertEqual(got.get(0), os.getpid(), got)
        self.assertEqual(got.get(1), os.getppid(), got)
        self.assertEqual(got.get(2), tids[0][0], got)
        self.assertNotEqual(tids[0][0], os.getpid())
        self.assertEqual(got.get(3), os.getpid(), got)
        self.assertEqual(got.get(4), grandparent_tgid(), got)
        self.assertEqual(got.get(5), 2, got)
        self.assertEqual(got.get(6), 5, got)
        self.assertEqual(got.get(7), len(tids[0][1]), got)
        self.assertEqual(tids[0][1], self.comm)  # what bpf_strcmp compared with
        self.assertEqual(got.get(8), 0, got)
        self.assertNotIn(9, got)

    def test_task_kfuncs_at_O0_and_O2(self):
        d = tempfile.mkdtemp(prefix="pybpf_kfunc_")
        self.addCleanup(shutil.rmtree, d)
        for opt in (0, 2):
            with self.subTest(opt=opt):
                self.check_run(self.compile_to(d, opt))

    def test_exec_parents_example(self):
        """examples/exec_parents.py: a child's exec records its parent (this
        process) and grandparent (ours)."""
        d = tempfile.mkdtemp(prefix="pybpf_kfunc_")
        self.addCleanup(shutil.rmtree, d)
        out = pybpf.compile(os.path.join(EXAMPLES, "exec_parents.py"),
                            os.path.join(d, "exec_parents.bpf.o"))
        with pybpf.load(out) as obj:
            obj.attach_all()
            children = [subprocess.Popen(["/bin/true"]) for _ in range(3)]
            for c in children:
                c.wait()
            m = obj.maps["parents"]
            for c in children:
                v = m.get(c.pid)
                self.assertIsNotNone(v, c.pid)
                self.assertEqual((v.parent, v.grandparent), (os.getpid(), os.getppid()))

    @unittest.skipUnless(BPFTOOL and OBJDUMP, "needs bpftool and llvm-objdump")
    def test_object_declares_ksyms_externs(self):
        d = tempfile.mkdtemp(prefix="pybpf_kfunc_")
        self.addCleanup(shutil.rmtree, d)
        out = self.compile_to(d, 2)
        btf = subprocess.run([BPFTOOL, "btf", "dump", "file", out], capture_output=True,
                             text=True, check=True).stdout
        for name in ("bpf_task_from_pid", "bpf_task_acquire", "bpf_task_release",
                     "bpf_rcu_read_lock", "bpf_rcu_read_unlock"):
            self.assertRegex(btf, r"FUNC '%s' type_id=\d+ linkage=extern" % name)
            self.assertRegex(btf, r"DATASEC '\.ksyms'(.|\n)*\(FUNC '%s'\)" % name)
        # bpf_task_from_pid(s32) returns a pointer to (the CO-RE) task_struct
        proto = re.search(r"\[(\d+)\] FUNC 'bpf_task_from_pid' type_id=(\d+)", btf).group(2)
        m = re.search(r"\[%s\] FUNC_PROTO '\(anon\)' ret_type_id=(\d+) vlen=1\n\t'\(anon\)' "
                      r"type_id=(\d+)" % proto, btf)
        self.assertTrue(m, btf)
        self.assertRegex(btf, r"\[%s\] PTR '\(anon\)' type_id=\d+" % m.group(1))
        self.assertRegex(btf, r"\[%s\] INT 'int' size=4" % m.group(2))
        dis = subprocess.run([OBJDUMP, "-dr", out], capture_output=True, text=True,
                             check=True).stdout
        calls = re.findall(r"call -0x1\n\s+[0-9a-f]+:\s+R_BPF_64_32\s+(\w+)", dis)
        self.assertEqual(sorted(set(calls)),
                         ["bpf_rcu_read_lock", "bpf_rcu_read_unlock", "bpf_strcmp", "bpf_strlen",
                          "bpf_task_acquire", "bpf_task_from_pid", "bpf_task_release"])


if __name__ == "__main__":
    main()
