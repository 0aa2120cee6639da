"""The BPF dialect under plain CPython (no kernel needed).

- the stubs pybpf.maps / pybpf.helper / pybpf and their pythonbpf
  spellings hold exactly the names of the compiler's tables, read here from
  compiler/*.def directly (not through the extension the stubs use);
- every example and kernel test program imports cleanly (decorators,
  str(N) and `T * N` annotations at definition time, @struct layouts);
- BPF-only code called from CPython raises BpfOnlyError naming it.

Run: PYTHONPATH=<build>/python python3 -m unittest tests/python/test_dialect.py
"""

import ctypes
import glob
import os
import re
import runpy
import unittest

import pybpf
import pythonbpf
from pybpf import BpfOnlyError

SOURCE_DIR = os.environ.get("PYBPF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read_def(name):
    with open(os.path.join(SOURCE_DIR, "compiler", name)) as f:
        return f.read()


def def_entries(text, macro):
    """The argument lists (split on top-level commas, strings kept) of every
    MACRO(...) line of a .def file."""
    out = []
    for line in text.splitlines():
        if line.startswith(macro + "("):
            out.append([a.strip() for a in re.findall(r'"[^"]*"|[^,()]+', line[len(macro) + 1:])
                        if a.strip()])
    return out


def unquote(s):
    return s[1:-1] if s.startswith('"') else s


class Tables:
    """The names of compiler/builtins.def, maps.def and helpers.def."""
    builtins = read_def("builtins.def")
    maps = {unquote(e[1]): int(e[2]) for e in def_entries(read_def("maps.def"), "MAPCLASS")}
    helpers = [e[0] for e in def_entries(read_def("helpers.def"), "HELPER")]
    names = def_entries(builtins, "NAME")

    @classmethod
    def module(cls, mod):
        """{name: (kind, detail)} of a module id; map classes of maps.def included."""
        out = {unquote(e[1]): (e[2], e[3]) for e in cls.names if e[0] == mod}
        if mod == "MOD_MAPS":
            out.update({n: ("SYM_MAPCLASS", None) for n in cls.maps})
        if mod == "MOD_CTYPES":
            for e in def_entries(read_def("ctypes.def"), "CTYPE") + \
                    def_entries(read_def("ctypes.def"), "CTYPE_ALIAS"):
                out[unquote(e[1] if e[1].startswith('"') else e[0])] = ("SYM_TYPE", None)
        return out


class TestTables(unittest.TestCase):
    def test_def_files_parsed(self):
        # guards the parser above: these counts only grow
        self.assertGreaterEqual(len(Tables.maps), 16)
        self.assertGreaterEqual(len(Tables.helpers), 200)
        self.assertIn("ktime", Tables.module("MOD_HELPER"))
        self.assertIn("RingBuf", Tables.module("MOD_MAPS"))

    def test_extension_tables_match_def_files(self):
        t = pybpf._pybpf.compiler_tables()
        self.assertEqual({m[1]: m[2] for m in t["maps"]}, Tables.maps)
        self.assertEqual([h[0] for h in t["helpers"]], Tables.helpers)
        modules = {e[0] for e in Tables.names}
        expected = {(m, n) for m in modules for n in Tables.module(m)}
        self.assertEqual({(m, n) for m, n, _, _ in t["names"]}, expected)

    def check_module(self, modules, mod_id, extra=()):
        expected = Tables.module(mod_id)
        for module in modules:
            with self.subTest(module=module.__name__):
                missing = sorted(n for n in list(expected) + list(extra)
                                 if not hasattr(module, n))
                self.assertEqual(missing, [], f"{module.__name__} lacks names the compiler knows")
                for name, (kind, detail) in expected.items():
                    if kind == "SYM_CONST":
                        self.assertEqual(getattr(module, name), int(detail), name)

    def test_pybpf_names(self):
        self.check_module([pybpf, pythonbpf], "MOD_PYBPF")

    def test_map_names(self):
        import pybpf.maps
        import pythonbpf.maps
        self.check_module([pybpf.maps, pythonbpf.maps], "MOD_MAPS")
        for name, type_id in Tables.maps.items():
            self.assertEqual(getattr(pybpf.maps, name).map_type, type_id, name)
        self.assertIs(pythonbpf.maps.RingBuf, pybpf.maps.RingBuffer)
        self.assertEqual(sorted(pybpf.maps.__all__), sorted(pythonbpf.maps.__all__))
        for name in pybpf.maps.__all__:
            self.assertTrue(hasattr(pybpf.maps, name), name)

    def test_helper_names(self):
        import pybpf.helper
        import pybpf.helpers
        import pythonbpf.helper
        import pythonbpf.helpers
        kernel = Tables.helpers + ["bpf_" + h for h in Tables.helpers]
        self.check_module([pybpf.helper, pybpf.helpers, pythonbpf.helper, pythonbpf.helpers],
                          "MOD_HELPER", kernel)
        self.assertIn("probe_read_kernel", pybpf.helper.__all__)
        self.assertIn("BPF helper 113", pybpf.helper.bpf_probe_read_kernel.__doc__)

    def test_ctypes_names(self):
        self.check_module([ctypes], "MOD_CTYPES")

    def test_type_stubs(self):
        # the build writes .pyi stubs beside the generated modules
        import ast
        import pybpf.helper
        import pybpf.maps
        for module in (pybpf.helper, pybpf.maps):
            with self.subTest(module=module.__name__):
                pyi = module.__file__[:-3] + ".pyi"
                self.assertTrue(os.path.exists(pyi), "no type stubs: " + pyi)
                with open(pyi) as f:
                    tree = ast.parse(f.read())
                names = set()
                for node in tree.body:
                    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                        names.add(node.name)
                    elif isinstance(node, ast.AnnAssign):
                        names.add(node.target.id)
                    elif isinstance(node, ast.Assign):
                        names.add(node.targets[0].id)
                self.assertEqual(names, set(module.__all__))

    def test_star_imports(self):
        ns = {}
        exec("from pythonbpf import *\nfrom pythonbpf.maps import *\n"
             "from pythonbpf.helpers import *\n", ns)
        for name in ("bpf", "section", "map", "struct", "bpfglobal", "compile", "BPF", "HashMap",
                     "PerfEventArray", "BPF_NOEXIST", "ktime", "XDP_PASS", "get_current_comm"):
            self.assertIn(name, ns)


class TestDecorators(unittest.TestCase):
    def test_program(self):
        @pybpf.bpf
        @pybpf.section("tracepoint/syscalls/sys_enter_execve")
        def hello(ctx: ctypes.c_void_p) -> ctypes.c_int32:
            return 0
        self.assertEqual((hello.kind, hello.section, hello.name, hello.bpf),
                         ("program", "tracepoint/syscalls/sys_enter_execve", "hello", True))
        self.assertEqual(hello.__name__, "hello")
        with self.assertRaisesRegex(BpfOnlyError, "program 'hello' is BPF code"):
            hello(None)

    def test_map_and_global(self):
        from pybpf.maps import HashMap

        @pybpf.bpf
        @pybpf.map
        def last() -> HashMap:
            return HashMap(key=ctypes.c_uint64, value=ctypes.c_uint64, max_entries=1)

        @pybpf.bpf
        @pybpf.bpfglobal
        def limit() -> ctypes.c_uint32 * 4:
            return (ctypes.c_uint32 * 4)(1, 2)
        self.assertEqual((last.kind, limit.kind), ("map", "global"))
        for call, what in ((lambda: last.update(0, 1), "'last.update()'"),
                           (lambda: last().lookup(0), "map 'last'"),
                           (lambda: limit(), "global 'limit'"),
                           (lambda: HashMap(key=1).lookup(0), "'HashMap.lookup()'")):
            with self.assertRaisesRegex(BpfOnlyError, re.escape(what)):
                call()

    def test_subprogram_and_helper(self):
        from pybpf.helper import ktime, bpf_get_current_pid_tgid

        @pybpf.bpf
        def twice(x: ctypes.c_int64) -> ctypes.c_int64:
            return x * 2
        self.assertEqual(twice.kind, "function")
        for call, what in ((lambda: twice(1), "function 'twice'"),
                           (ktime, "helper 'ktime()'"),
                           (bpf_get_current_pid_tgid, "helper 'bpf_get_current_pid_tgid()'")):
            with self.assertRaisesRegex(BpfOnlyError, re.escape(what)):
                call()

    def test_struct_layout(self):
        @pybpf.bpf
        @pybpf.struct
        class inner:
            a: ctypes.c_uint8
            b: ctypes.c_uint64

        @pybpf.bpf
        @pybpf.struct
        class event:
            flag: bool
            nested: inner
            comm: str(16)
            hist: ctypes.c_uint32 * 3
            total: int

            def describe(self):
                return f"{self.comm.decode()}:{self.total}"
        self.assertTrue(issubclass(event, ctypes.Structure))
        self.assertEqual(ctypes.sizeof(inner), 16)
        # C layout: flag @0, nested @8 (16 bytes), comm @24, hist @40, total @56
        self.assertEqual([(n, getattr(event, n).offset) for n, _ in event._fields_],
                         [("flag", 0), ("nested", 8), ("comm", 24), ("hist", 40),
                          ("total", 56)])
        self.assertEqual(ctypes.sizeof(event), 64)
        e = event(comm=b"bash", total=3)
        self.assertEqual(e.describe(), "bash:3")
        self.assertEqual(event.__pybpf_kind__, "struct")

    def test_struct_with_unknown_field_type_stays_a_class(self):
        class KernelType:
            pass

        @pybpf.struct
        class s:
            task: KernelType
        self.assertFalse(issubclass(s, ctypes.Structure))
        self.assertEqual(s.__pybpf_kind__, "struct")

    def test_misuse(self):
        with self.assertRaisesRegex(TypeError, "ELF section name"):
            @pybpf.section
            def f(ctx):
                return 0
        with self.assertRaisesRegex(TypeError, "two kind decorators"):
            @pybpf.map
            @pybpf.section("xdp")
            def g(ctx):
                return 0


def bpf_source_files():
    files = []
    for pattern in ("examples/*.py", "tests/kernel/semantics/*.py", "tests/kernel/programs/*.py",
                    "tests/kernel/helpers/*.py"):
        files += sorted(glob.glob(os.path.join(SOURCE_DIR, pattern)))
    return files


class TestImportCleanly(unittest.TestCase):
    """Every BPF source file of the repository runs under CPython as a module
    (not __main__), with compile() replaced so that nothing is written."""

    def test_files(self):
        files = bpf_source_files()
        self.assertGreater(len(files), 50)
        calls = []
        saved = pybpf.compile, pythonbpf.compile
        pybpf.compile = pythonbpf.compile = lambda *a, **k: calls.append(a)
        try:
            for path in files:
                with self.subTest(file=os.path.relpath(path, SOURCE_DIR)):
                    ns = runpy.run_path(path, run_name="pybpf_import_test")
                    defs = [v for v in ns.values() if isinstance(v, pybpf.BpfDefinition)]
                    self.assertTrue(any(d.kind == "program" and d.bpf for d in defs),
                                    "no @bpf @section program seen")
        finally:
            pybpf.compile, pythonbpf.compile = saved


if __name__ == "__main__":
    unittest.main()
