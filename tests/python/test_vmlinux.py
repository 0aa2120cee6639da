"""The top-level `vmlinux` module: kernel types as ctypes from the kernel's BTF.

The expectations come from `bpftool btf dump file <btf> format raw`, parsed
here (bpftool reads the BTF with libbpf's own dumper, not with pybpf's code),
and from the kernel's UAPI numbers (XDP_PASS is 2, BPF_MAP_TYPE_HASH is 1).
Every struct and union of the kernel is built and checked: its size, every
named member's offset, and every bitfield read back from a byte pattern.

Skips (prints "SKIP: ...") only when the kernel has no BTF file.
"""

import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

BTF_PATH = os.environ.get("PYBPF_VMLINUX_BTF") or "/sys/kernel/btf/vmlinux"
HERE = os.path.dirname(os.path.abspath(__file__))

_TYPE_RE = re.compile(r"^\[(\d+)\] (\w+) '([^']*)'(.*)$")
_MEMBER_RE = re.compile(r"^\t'([^']*)' type_id=(\d+) bits_offset=(\d+)(?: bitfield_size=(\d+))?$")
_ENUMV_RE = re.compile(r"^\t'([^']*)' val=(-?\d+)$")


def parse_raw(text):
    """{id: {kind, name, attrs (dict), members [(name, type_id, bit, bits)], values}}"""
    types, cur = {}, None
    for line in text.splitlines():
        m = _TYPE_RE.match(line)
        if m:
            attrs = dict(kv.split("=", 1) for kv in m.group(4).split() if "=" in kv)
            cur = {"kind": m.group(2), "name": m.group(3), "attrs": attrs,
                   "members": [], "values": []}
            types[int(m.group(1))] = cur
            continue
        m = _MEMBER_RE.match(line)
        if m and cur is not None:
            cur["members"].append((m.group(1), int(m.group(2)), int(m.group(3)),
                                   int(m.group(4) or 0)))
            continue
        m = _ENUMV_RE.match(line)
        if m and cur is not None:
            cur["values"].append((m.group(1), int(m.group(2))))
    return types


def find(types, kind, name):
    for tid, t in types.items():
        if t["kind"] == kind and t["name"] == name:
            return tid
    raise KeyError((kind, name))


def resolve(types, tid):
    while tid and types[tid]["kind"] in ("TYPEDEF", "CONST", "VOLATILE", "RESTRICT",
                                         "TYPE_TAG"):
        tid = int(types[tid]["attrs"]["type_id"])
    return tid


class VmlinuxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
        out = subprocess.run([bpftool, "btf", "dump", "file", BTF_PATH, "format", "raw"],
                             check=True, capture_output=True, text=True).stdout
        cls.raw = parse_raw(out)
        import vmlinux
        cls.vm = vmlinux

    # ---- layouts ----

    def check_struct(self, cls, tid):
        t = self.raw[tid]
        self.assertEqual(ctypes.sizeof(cls), int(t["attrs"]["size"]), t["name"])
        self.assertEqual(cls._skipped_, (), t["name"])
        for name, mtype, bit, bits in t["members"]:
            if not name or name == "(anon)":
                continue
            field = cls.__dict__[name]
            if not bits:
                self.assertEqual(field.offset, bit // 8, "%s.%s" % (t["name"], name))
                continue
            # the field's bits hold a pattern, every other bit is 1
            pattern = 1 | (1 << (bits - 2)) if bits >= 3 else 1
            buf = bytearray(b"\xff" * ctypes.sizeof(cls))
            for b in range(bits):
                byte, shift = divmod(bit + b, 8)
                if (pattern >> b) & 1:
                    buf[byte] |= 1 << shift
                else:
                    buf[byte] &= ~(1 << shift) & 0xff
            value = getattr(cls.from_buffer(buf), name)
            self.assertEqual(value, pattern, "bitfield %s.%s" % (t["name"], name))

    def test_every_struct_and_union(self):
        from pybpf._vmlinux import KernelTypes  # noqa: F401
        types = self.vm._kernel_types()
        n = 0
        for tid, t in self.raw.items():
            if t["kind"] in ("STRUCT", "UNION"):
                with self.subTest(type=t["name"], id=tid):
                    self.check_struct(types.type_by_id(tid), tid)
                n += 1
        self.assertGreater(n, 1000)

    def test_named_structs(self):
        for name in ("task_struct", "xdp_md", "sk_buff", "iphdr", "__sk_buff", "ethhdr",
                     "pt_regs", "udphdr"):
            with self.subTest(name=name):
                cls = getattr(self.vm, "struct_" + name)
                self.assertIs(getattr(self.vm, name), cls)
                self.check_struct(cls, find(self.raw, "STRUCT", name))
        ts = self.raw[find(self.raw, "STRUCT", "task_struct")]
        offs = {m[0]: m[2] // 8 for m in ts["members"]}
        t = self.vm.struct_task_struct
        for f in ("pid", "tgid", "comm", "real_parent", "tasks"):
            self.assertEqual(getattr(t, f).offset, offs[f])
        self.assertEqual(t.__name__, "struct_task_struct")
        self.assertEqual(t.__module__, "vmlinux")
        xdp = self.vm.struct_xdp_md
        self.assertEqual(ctypes.sizeof(xdp), 24)
        self.assertEqual([xdp.__dict__[n].offset for n in ("data", "data_end", "data_meta")],
                         [0, 4, 8])
        ip = self.vm.struct_iphdr
        self.assertEqual(ctypes.sizeof(ip), 20)
        hdr = ip.from_buffer_copy(bytes([0x45, 0, 0, 84]) + bytes(16))
        self.assertEqual((hdr.version, hdr.ihl), (4, 5))

    def test_nested_types_and_pointers(self):
        t = self.vm.struct_task_struct
        fields = dict((f[0], f[1]) for f in t._fields_)
        self.assertIs(fields["tasks"], self.vm.struct_list_head)
        self.assertIs(fields["real_parent"], ctypes.c_void_p)
        self.assertEqual(t._pointers_["real_parent"], find(self.raw, "STRUCT", "task_struct"))
        # comm is char[16]: reads as bytes
        self.assertEqual(ctypes.sizeof(fields["comm"]), 16)
        task = t.from_buffer_copy(bytes(ctypes.sizeof(t)))
        self.assertEqual(task.comm, b"")
        # a self-referencing struct through pointers
        lh = self.vm.struct_list_head
        self.assertEqual(ctypes.sizeof(lh), 2 * ctypes.sizeof(ctypes.c_void_p))
        # anonymous unions: their fields read as the outer struct's (sk_buff.len
        # is a plain member; sk_buff.dev is in an anonymous union)
        skb = self.raw[find(self.raw, "STRUCT", "sk_buff")]
        anon = [m for m in skb["members"] if m[0] == "(anon)"]
        self.assertTrue(anon)
        inner = self.raw[resolve(self.raw, anon[0][1])]
        checked = 0
        for name, _, bit, bits in inner["members"]:
            if name != "(anon)" and not bits:
                self.assertEqual(getattr(self.vm.sk_buff, name).offset, anon[0][2] // 8 + bit // 8)
                checked += 1
        self.assertGreater(checked, 0)
        # a flexible array member has length 0
        flexible = None
        for tid, tt in self.raw.items():
            if tt["kind"] == "STRUCT" and tt["members"]:
                last = self.raw[resolve(self.raw, tt["members"][-1][1])]
                if last["kind"] == "ARRAY" and last["attrs"].get("nr_elems") == "0" and \
                        tt["members"][-1][0] != "(anon)":
                    cls = self.vm._kernel_types().type_by_id(tid)
                    self.assertEqual(ctypes.sizeof(dict(cls._fields_)[tt["members"][-1][0]]), 0)
                    flexible = tt["name"]
                    break
        self.assertIsNotNone(flexible)

    # ---- enums and typedefs ----

    def test_enum_constants(self):
        from vmlinux import XDP_PASS, BPF_ANY, BPF_MAP_TYPE_HASH
        self.assertEqual(XDP_PASS, 2)
        self.assertEqual(BPF_MAP_TYPE_HASH, 1)
        self.assertEqual(BPF_ANY, 0)
        self.assertEqual(self.vm.XDP_DROP, 1)
        xa = self.raw[find(self.raw, "ENUM", "xdp_action")]
        e = self.vm.enum_xdp_action
        self.assertEqual(e._values_, dict(xa["values"]))
        self.assertEqual(e.XDP_TX, 3)
        self.assertEqual(ctypes.sizeof(e), 4)
        # every constant of a few enums, as bpftool lists them
        for name in ("bpf_map_type", "bpf_prog_type", "bpf_func_id"):
            for k, v in self.raw[find(self.raw, "ENUM", name)]["values"]:
                self.assertEqual(getattr(self.vm, k), v, k)

    def test_typedefs(self):
        from vmlinux import u32, pid_t
        self.assertIs(u32, ctypes.c_uint32)
        # (not `from vmlinux import __u64`: a class body would mangle the name)
        self.assertIs(getattr(self.vm, "__u64"), ctypes.c_uint64)
        self.assertIs(pid_t, ctypes.c_int32)
        self.assertIs(getattr(self.vm, "__be16"), ctypes.c_uint16)
        self.assertIs(self.vm.s8, ctypes.c_int8)
        for name in ("u8", "u16", "u32", "u64", "pid_t", "__be32"):
            tid = resolve(self.raw, find(self.raw, "TYPEDEF", name))
            self.assertEqual(ctypes.sizeof(getattr(self.vm, name)),
                             int(self.raw[tid]["attrs"]["size"]), name)

    # ---- unknown names ----

    def test_did_you_mean(self):
        with self.assertRaises(AttributeError) as cm:
            self.vm.struct_task_strct
        self.assertIn("did you mean 'struct_task_struct'", str(cm.exception))
        with self.assertRaises(AttributeError) as cm:
            self.vm.XDP_PAS
        self.assertIn("did you mean 'XDP_PASS'", str(cm.exception))
        with self.assertRaises(ImportError) as cm:
            from vmlinux import struct_xdp_mdd  # noqa: F401
        self.assertIn("did you mean 'struct_xdp_md'", str(cm.exception))
        with self.assertRaises(AttributeError) as cm:
            self.vm.qqqq_no_such_kernel_name_zzzz
        self.assertNotIn("did you mean", str(cm.exception))
        self.assertIsNone(getattr(self.vm, "struct_no_such_struct_at_all", None))
        self.assertFalse(hasattr(self.vm, "__wrapped__"))

    def test_kfuncs(self):
        """kfuncs (functions the BTF tags bpf_kfunc) import as functions that
        only BPF code can call; other kernel functions do not import."""
        from pybpf.dialect import BpfOnlyError
        tagged = {self.raw[int(t["attrs"]["type_id"])]["name"] for t in self.raw.values()
                  if t["kind"] == "DECL_TAG" and t["name"] == "bpf_kfunc"}
        if not tagged:
            self.skipTest("this kernel's BTF does not tag kfuncs")
        self.assertIn("bpf_task_from_pid", tagged)
        from vmlinux import bpf_task_from_pid, bpf_rcu_read_lock
        self.assertEqual(bpf_task_from_pid.__name__, "bpf_task_from_pid")
        with self.assertRaises(BpfOnlyError) as cm:
            bpf_task_from_pid(1)
        self.assertIn("kfunc 'bpf_task_from_pid()'", str(cm.exception))
        with self.assertRaises(BpfOnlyError):
            bpf_rcu_read_lock()
        self.assertIn("do_sys_open", {t["name"] for t in self.raw.values()
                                      if t["kind"] == "FUNC"})
        self.assertNotIn("do_sys_open", tagged)
        with self.assertRaises(ImportError) as cm:
            from vmlinux import do_sys_open  # noqa: F401
        self.assertIn("'do_sys_open' is a kernel function but not a kfunc", str(cm.exception))
        with self.assertRaises(ImportError):
            from vmlinux import bpf_task_from_pidd  # noqa: F401

    def test_star_import(self):
        ns = {}
        exec("from vmlinux import *", ns)
        self.assertEqual(ns["XDP_PASS"], 2)
        self.assertEqual(ns["BPF_MAP_TYPE_HASH"], 1)
        self.assertIs(ns["u32"], ctypes.c_uint32)
        self.assertIs(ns["__s64"], ctypes.c_int64)
        self.assertNotIn("struct_task_struct", ns)
        n_enumerators = sum(len(t["values"]) for t in self.raw.values()
                            if t["kind"] in ("ENUM", "ENUM64"))
        self.assertGreater(len(ns), n_enumerators // 2)

    # ---- a pythonbpf-style file, other BTF files ----

    def run_python(self, source, env=None):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "prog.py")
            with open(path, "w") as f:
                f.write(textwrap.dedent(source))
            return subprocess.run([sys.executable, path], capture_output=True, text=True,
                                  env=dict(os.environ, **(env or {})), timeout=120)

    def test_pythonbpf_style_file(self):
        r = self.run_python('''
            from ctypes import c_int64
            from pythonbpf import bpf, section, bpfglobal
            from vmlinux import struct_xdp_md, XDP_PASS

            @bpf
            @section("xdp")
            def hello(ctx: struct_xdp_md) -> c_int64:
                return XDP_PASS

            @bpf
            @bpfglobal
            def LICENSE() -> str:
                return "GPL"

            import ctypes
            print("ok", XDP_PASS, ctypes.sizeof(struct_xdp_md))
        ''')
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "ok 2 24")

    def test_btf_path_from_environment(self):
        r = self.run_python('''
            try:
                from vmlinux import XDP_PASS
            except ImportError as e:
                print("ImportError:", e)
        ''', env={"PYBPF_VMLINUX_BTF": "/nonexistent/vmlinux"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("cannot read the kernel's BTF", r.stdout)
        self.assertIn("/nonexistent/vmlinux", r.stdout)
        with tempfile.TemporaryDirectory() as d:
            copy = os.path.join(d, "btf")
            shutil.copyfile(BTF_PATH, copy)
            r = self.run_python('''
                import ctypes, vmlinux
                print(vmlinux.XDP_PASS, ctypes.sizeof(vmlinux.struct_iphdr))
            ''', env={"PYBPF_VMLINUX_BTF": copy})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "2 20")


if __name__ == "__main__":
    if not os.path.exists(BTF_PATH):
        print("SKIP: %s does not exist (kernel without BTF)" % BTF_PATH)
        sys.exit(0)
    unittest.main(verbosity=2)
