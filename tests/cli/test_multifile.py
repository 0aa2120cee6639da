#!/usr/bin/env python3
"""Multi-file programs from the command line (stdlib unittest).

A @bpf source imports constants, structs and subprograms from local modules:
next to it, or on -I directories. Checks -I (both spellings, repeated, the
search order), the depfile (every module read, phony rules, nothing for
imports BPF code does not use), deterministic output, diagnostics inside a
module (text and JSON name its file), debug info naming the module's file,
`import mod` + `mod.X`, the Python binding's include_dirs, and the other
commands taking -I (gen skeleton; check and run as root).

Usage: test_multifile.py PYBPF SOURCE_DIR [MultiFileTest|MultiFileKernelTest]
Ends with "N passed, N failed".
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

PYBPF = SOURCE = None

ELF_MAGIC = b"\x7fELF"

MAIN = """\
from pybpf import bpf, section, bpfglobal, BPF
from ctypes import c_void_p, c_int64
from common import K, pair, twice
from nosuch_userspace_module import helper  # not used by BPF code: never followed
import os

@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    p = pair(a=1, b=K)
    return twice(p.b) + p.a

@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""

COMMON = """\
from pybpf import bpf, struct
from ctypes import c_uint32, c_uint64
from base import BASE

K = BASE + 1

@bpf
@struct
class pair:
    a: c_uint32
    b: c_uint64

@bpf
def twice(x: c_uint64) -> c_uint64:
    return x * 2
"""


def run(*args, **kw):
    return subprocess.run([PYBPF, *args], capture_output=True, text=True, errors="replace",
                          timeout=kw.pop("timeout", 60), **kw)


class Tree:
    """A temporary source tree."""

    def __init__(self, testcase):
        self.dir = tempfile.mkdtemp(prefix="pybpf-multi-")
        testcase.addCleanup(shutil.rmtree, self.dir, True)

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p


class MultiFileTest(unittest.TestCase):
    def setUp(self):
        self.t = Tree(self)
        t = self.t
        self.src = t.write("src/prog.py", MAIN)
        t.write("src/common.py", COMMON)
        t.write("inc/base.py", "BASE = 20\n")
        t.write("other/base.py", "BASE = 1000\n")

    def compile(self, *args, cwd=None):
        return run("compile", *args, cwd=cwd)

    def test_sibling_and_include_dirs(self):
        t = self.t
        obj = t.path("o.bpf.o")
        # base.py is on no search path
        p = self.compile(self.src, "-o", obj)
        self.assertEqual(p.returncode, 1)
        self.assertIn("common.py:3:1: error: no module named 'base'", p.stderr)
        self.assertIn("-I directories: '" + t.path("src") + "'", p.stderr)
        self.assertFalse(os.path.exists(obj))
        # -I DIR, -IDIR; the first directory that has the module wins
        for args in (["-I", t.path("inc")], ["-I" + t.path("inc")],
                     ["-I", t.path("inc"), "-I", t.path("other")]):
            p = self.compile(self.src, "-o", obj, "-O2", *args)
            self.assertEqual(p.returncode, 0, p.stderr)
            asm = self.compile(self.src, "-o", "-", "--emit=asm", *args).stdout
            self.assertIn("r0 = 43", asm)  # (20 + 1) * 2 + 1
        asm = self.compile(self.src, "-o", "-", "--emit=asm", "-I", t.path("other"),
                           "-I", t.path("inc")).stdout
        self.assertIn("r0 = 2003", asm)  # (1000 + 1) * 2 + 1
        # a relative source path: siblings and -I relative to the current directory
        p = self.compile("src/prog.py", "-o", "o2.bpf.o", "-I", "inc", cwd=t.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        # a module in a package directory (dotted import)
        t.write("src/pkg/sub.py", "from pybpf import bpf\nV = 7\n")
        dotted = t.write("src/dotted.py", MAIN.replace("from common import K, pair, twice",
                                                       "from common import pair, twice\n"
                                                       "from pkg.sub import V as K"))
        asm = self.compile(dotted, "-o", "-", "--emit=asm", "-I", t.path("inc")).stdout
        self.assertIn("r0 = 15", asm)
        # -I without a directory is a usage error; --help mentions -I
        p = self.compile(self.src, "-I")
        self.assertEqual(p.returncode, 2)
        self.assertIn("-I needs a directory", p.stderr)
        self.assertIn("[-I DIR]...", run("--help").stdout)

    def test_import_module_attribute(self):
        t = self.t
        src = t.write("src/attr.py", MAIN.replace(
            "from common import K, pair, twice", "import common as cm\nimport base").replace(
            "p = pair(a=1, b=K)", "p = cm.pair(a=1, b=cm.K + base.BASE)").replace(
            "twice(p.b)", "cm.twice(p.b)"))
        asm = self.compile(src, "-o", "-", "--emit=asm", "-I", t.path("inc")).stdout
        self.assertIn("r0 = 83", asm)  # (21 + 20) * 2 + 1
        p = self.compile(src, "-o", t.path("x.o"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("no module named 'base'", p.stderr)

    def test_relative_imports_and_packages(self):
        t = self.t
        t.write("src/pkg/__init__.py", "P = 2\n")
        t.write("src/pkg/vals.py", "from . import P\nfrom .inner.leaf import L\nV = P * 10 + L\n")
        t.write("src/pkg/inner/leaf.py", "L = 3\n")
        t.write("src/pkg/inner/calc.py",
                "from pybpf import bpf\nfrom ctypes import c_uint64\n"
                "from .. import vals\nfrom ..vals import V\nfrom . import leaf\n"
                "from ...common import twice\n\n"
                "@bpf\ndef calc(x: c_uint64) -> c_uint64:\n"
                "    return twice(x) + vals.V + V + leaf.L\n")
        src = t.write("src/rel.py", MAIN.replace(
            "from common import K, pair, twice",
            "from common import K, pair, twice\nimport pkg.inner.calc\nimport pkg.vals\n"
            "from pkg import P").replace(
            "return twice(p.b) + p.a",
            "return pkg.inner.calc.calc(p.a) + pkg.vals.V * 1000 + P * 100000"))
        asm = self.compile(src, "-o", "-", "--emit=asm", "-I", t.path("inc")).stdout
        self.assertIn("r0 = 223051", asm)  # 2*1 + 23 + 23 + 3 + 23000 + 200000
        # the depfile names each module once, by the path it was found at
        dep = t.path("rel.d")
        p = self.compile(src, "-o", t.path("rel.o"), "-I", t.path("inc"), "-MF", dep)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(dep) as f:
            text = f.read()
        for mod in ("pkg/__init__.py", "pkg/vals.py", "pkg/inner/leaf.py", "pkg/inner/calc.py",
                    "common.py"):
            self.assertEqual(text.count("  " + t.path("src", mod)), 1, (mod, text))
        self.assertNotIn("..", text)
        # a relative import found nothing: the error names the directory searched
        t.write("src/pkg/inner/calc.py",
                "from .nosuch import X\nfrom pybpf import bpf\nfrom ctypes import c_uint64\n\n"
                "@bpf\ndef calc(x: c_uint64) -> c_uint64:\n    return x + X\n")
        p = self.compile(src, "-o", t.path("rel.o"), "-I", t.path("inc"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("calc.py:1:1: error: no module named '.nosuch'", p.stderr)
        self.assertIn("from the importing file's directory ('" + t.path("src", "pkg", "inner")
                      + "')", p.stderr)

    def test_defines_reach_modules(self):
        t = self.t
        # -D NAME sets the main source's NAME; -D MODULE.NAME sets MODULE's
        args = ("-o", "-", "--emit=asm", "-I", t.path("inc"))
        self.assertIn("r0 = 43", self.compile(self.src, *args).stdout)
        p = self.compile(self.src, *args, "-D", "common.K=5")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("r0 = 11", p.stdout)  # 5 * 2 + 1
        p = self.compile(self.src, *args, "-D", "base.BASE=4")  # K = BASE + 1 follows
        self.assertIn("r0 = 11", p.stdout)
        t.write("src/pkg/__init__.py", "Q = 1\n")
        t.write("src/pkg/deep.py", "R = 1\n")
        both = t.write("src/both.py", MAIN.replace(
            "from common import K, pair, twice",
            "from common import pair, twice\nimport pkg.deep\nimport pkg\nK = pkg.deep.R + pkg.Q"))
        p = self.compile(both, *args, "-D", "pkg.deep.R=30", "-D", "pkg.Q=7", "-D", "K=1")
        self.assertIn("r0 = 3", p.stdout)  # -D K wins over the module constants
        p = self.compile(both, *args, "-D", "pkg.deep.R=30", "-D", "pkg.Q=7")
        self.assertIn("r0 = 75", p.stdout)  # (30 + 7) * 2 + 1
        # naming an imported constant without its module is an error
        p = self.compile(self.src, *args, "-D", "K=5")
        self.assertEqual(p.returncode, 1)
        self.assertIn("-D K=5: 'K' is imported from module 'common'", p.stderr)

    def test_depfile(self):
        t = self.t
        obj = t.path("out", "prog.bpf.o")
        os.mkdir(t.path("out"))
        p = self.compile(self.src, "-o", obj, "-MD", "-I", t.path("inc"))
        self.assertEqual(p.returncode, 0, p.stderr)
        common, base = t.path("src", "common.py"), t.path("inc", "base.py")
        with open(t.path("out", "prog.bpf.d")) as f:
            self.assertEqual(f.read(), f"{obj}: \\\n  {self.src} \\\n  {common} \\\n  {base}\n"
                             f"\n{common}:\n\n{base}:\n")
        # from standard input: the modules (next to --filename) with phony rules
        with open(self.src) as f:
            p = subprocess.run([PYBPF, "compile", "-", "--filename", self.src, "-o", obj,
                                "-MF", "-", "-I", t.path("inc")], stdin=f,
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f"{obj}: \\\n  {common} \\\n  {base}\n"
                         f"\n{common}:\n\n{base}:\n")
        # relative paths stay relative
        p = self.compile("src/prog.py", "-o", "p.o", "-MD", "-I", "inc", cwd=t.dir)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(t.path("p.d")) as f:
            self.assertEqual(f.read(), "p.o: \\\n  src/prog.py \\\n  src/common.py \\\n"
                             "  inc/base.py\n\nsrc/common.py:\n\ninc/base.py:\n")

    def test_depfile_with_make(self):
        """make rebuilds when an imported module changes, not for another file."""
        if not shutil.which("make"):
            self.skipTest("no make")
        t = self.t
        t.write("src/unrelated.py", "X = 1\n")
        t.write("src/Makefile", f"prog.bpf.o: prog.py\n\t{PYBPF} compile prog.py -o $@ "
                "-MD -I ../inc\n-include prog.bpf.d\n")

        def make():
            p = subprocess.run(["make", "-C", t.path("src")], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            return "compile" in p.stdout
        self.assertTrue(make())
        self.assertFalse(make())
        for rel, rebuilt in (("src/unrelated.py", False), ("inc/base.py", True),
                             ("src/common.py", True), ("other/base.py", False)):
            time.sleep(0.01)
            os.utime(t.path(rel))
            self.assertEqual(make(), rebuilt, rel)
            self.assertFalse(make())

    def test_deterministic(self):
        t = self.t
        outs = []
        for _ in range(2):
            p = subprocess.run([PYBPF, "compile", self.src, "-o", "-", "-I", t.path("inc")],
                               capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout[:4], ELF_MAGIC)
            outs.append(p.stdout)
        self.assertEqual(outs[0], outs[1])
        # the same tree elsewhere, with --debug-compilation-dir=.: the same bytes
        copy = os.path.join(self.t.dir, "copy")
        shutil.copytree(t.path("src"), os.path.join(copy, "src"))
        shutil.copytree(t.path("inc"), os.path.join(copy, "inc"))
        objs = []
        for root in (t.dir, copy):
            p = subprocess.run([PYBPF, "compile", "src/prog.py", "-o", "-", "-I", "inc", "-O0",
                                "--debug-compilation-dir=."], capture_output=True, cwd=root,
                               timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            objs.append(p.stdout)
        self.assertEqual(objs[0], objs[1])
        self.assertNotIn(t.dir.encode(), objs[0])

    def test_debug_info_names_the_module(self):
        t = self.t
        obj = t.path("o.bpf.o")
        p = self.compile(self.src, "-o", obj, "-O0", "-I", t.path("inc"))
        self.assertEqual(p.returncode, 0, p.stderr)
        objdump = shutil.which("llvm-objdump-19") or shutil.which("llvm-objdump")
        if not objdump:
            self.skipTest("no llvm-objdump")
        out = subprocess.run([objdump, "-d", "-l", obj], capture_output=True, text=True,
                             timeout=60).stdout
        self.assertIn("<twice>:", out)
        twice = out[out.index("<twice>:"):]
        # the subprogram's line info points at common.py, the program's at prog.py
        self.assertIn("; " + t.path("src", "common.py") + ":15", twice)
        self.assertIn("; " + t.path("src", "prog.py") + ":10", out)

    def test_diagnostics_in_a_module(self):
        t = self.t
        t.write("inc/base.py", "BASE = 20\n\n\nbad = (\n")
        p = self.compile(self.src, "-o", t.path("x.o"), "-I", t.path("inc"))
        self.assertEqual(p.returncode, 1)
        base = t.path("inc", "base.py")
        self.assertTrue(p.stderr.startswith(base + ":4:7: error: '(' was never closed"),
                        p.stderr)
        t.write("inc/base.py", "BASE = 20\n")
        t.write("src/common.py", COMMON.replace("return x * 2", "return x * undefined"))
        p = self.compile(self.src, "-o", t.path("x.o"), "-I", t.path("inc"),
                         "--diagnostics-format=json")
        self.assertEqual(p.returncode, 1)
        diags = [json.loads(line) for line in p.stderr.splitlines()]
        self.assertEqual(len(diags), 1, p.stderr)
        self.assertEqual(diags[0]["file"], t.path("src", "common.py"))
        self.assertEqual((diags[0]["line"], diags[0]["col"]), (15, 16))
        self.assertEqual(diags[0]["message"], "name 'undefined' is not defined")

    def test_gen_skeleton_takes_include_dirs(self):
        t = self.t
        p = run("gen", "skeleton", self.src, "-I", t.path("inc"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("struct prog_bpf {", p.stdout)
        p = run("gen", "skeleton", self.src)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no module named 'base'", p.stderr)


class MultiFilePythonTest(unittest.TestCase):
    """The Python package's include_dirs (its own ctest: the extension
    module is not built with the sanitizers, so this is not an asan test)."""

    setUp = MultiFileTest.setUp

    def test_python_include_dirs(self):
        t = self.t
        build_python = os.path.join(os.path.dirname(os.path.abspath(PYBPF)), "python")
        code = ("import sys, pybpf, pybpf.oneshot\nfrom pybpf import _pybpf\n"
                "src = open(sys.argv[1]).read()\n"
                "obj, warnings = _pybpf.compile(src, sys.argv[1], include_dirs=[sys.argv[2]])\n"
                "assert obj[:4] == b'\\x7fELF'\n"
                "obj2 = pybpf.oneshot.compile_source(src, sys.argv[1], include_dirs=[sys.argv[2]])\n"
                "assert obj == obj2\n"
                "try:\n"
                "    _pybpf.compile(src, sys.argv[1])\n"
                "except pybpf.CompileError as e:\n"
                "    assert \"no module named 'base'\" in str(e), str(e)\n"
                "else:\n"
                "    raise AssertionError('compiled without include_dirs')\n"
                "try:\n"
                "    _pybpf.compile(src, sys.argv[1], include_dirs=[1])\n"
                "except TypeError as e:\n"
                "    assert 'include_dirs' in str(e)\n"
                "out = pybpf.compile(sys.argv[1], sys.argv[1] + '.o', include_dirs=[sys.argv[2]])\n"
                "assert open(out, 'rb').read() == obj\n"
                "print('ok')\n")
        p = subprocess.run([sys.executable, "-c", code, self.src, t.path("inc")],
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": build_python})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "ok\n")


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class MultiFileKernelTest(unittest.TestCase):
    """pybpf check and run take -I; a rejected line of an imported module is
    reported in that module's file."""

    def setUp(self):
        self.t = Tree(self)
        self.t.write("inc/base.py", "BASE = 20\n")
        self.t.write("src/common.py", COMMON)

    def test_check_and_run(self):
        t = self.t
        src = t.write("src/prog.py", TP_MAIN)
        p = run("check", src, "-I", t.path("inc"), timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("ok: 1 program passed the verifier", p.stdout)
        p = run("run", src, "-I" + t.path("inc"), "--duration", "0.2", timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("check", src, timeout=120)
        self.assertEqual(p.returncode, 1)
        self.assertIn("no module named 'base'", p.stderr)

    def test_check_names_the_module(self):
        t = self.t
        # a GPL-only helper in an imported subprogram of a non-GPL program
        mod = t.write("src/tasks.py", GPL_MODULE)
        src = t.write("src/gpl.py", GPL_MAIN)
        p = run("check", src, timeout=120)
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stderr.splitlines()
        self.assertTrue(lines[0].startswith(
            f"{mod}:7:16: error: the verifier rejected program 'from_sub': cannot call "
            "GPL-restricted function"), lines[0])
        self.assertEqual(lines[1], "        return k + get_current_task()")


TP_MAIN = MAIN.replace('@section("xdp")', '@section("tracepoint/syscalls/sys_enter_getppid")')

GPL_MODULE = """\
from pybpf import bpf
from ctypes import c_uint64


@bpf
def task_bits(k: c_uint64) -> c_uint64:
    return k + get_current_task()
"""

GPL_MAIN = """\
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64
from tasks import task_bits


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def from_sub(ctx: c_void_p) -> c_int32:
    return c_int32(task_bits(c_uint64(3)))


@bpf
@bpfglobal
def LICENSE() -> str:
    return "MIT"
"""


def main():
    global PYBPF, SOURCE
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    loader = unittest.defaultTestLoader
    if len(sys.argv) > 3:
        if sys.argv[3] == "MultiFileKernelTest" and os.geteuid() != 0:
            print("SKIP: needs root to load BPF programs")
            return 0
        suite = loader.loadTestsFromTestCase(globals()[sys.argv[3]])
    else:
        suite = loader.loadTestsFromModule(sys.modules[__name__])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    for test, reason in result.skipped:
        print(f"SKIP {test.id()}: {reason}")
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
