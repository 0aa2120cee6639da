"""One-shot use without the kernel: compile(), compile_to_ir(), BPF() opening
an object compiled in memory, the _pybpf compile bindings, CompileError.

Run: PYTHONPATH=<build>/python python3 tests/python/test_oneshot.py
(PYBPF_CLI=<build>/pybpf adds the comparison with `pybpf compile`.)
"""

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

import pybpf
import pybpf.oneshot
from pybpf import _pybpf, CompileError

SOURCE_DIR = os.environ.get("PYBPF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(pybpf.__file__)))
CLI = os.environ.get("PYBPF_CLI") or os.path.join(os.path.dirname(PYTHON_DIR), "pybpf")

COUNTER = textwrap.dedent("""\
    from pybpf import bpf, map, section, bpfglobal, compile
    from pybpf.maps import HashMap
    from pybpf.helper import pid
    from ctypes import c_void_p, c_int32, c_uint32, c_uint64


    @bpf
    @map
    def counts() -> HashMap:
        return HashMap(key=c_uint32, value=c_uint64, max_entries=64)


    @bpf
    @section("tracepoint/syscalls/sys_enter_execve")
    def count_exec(ctx: c_void_p) -> c_int32:
        counts[pid()] += 1
        return 0


    @bpf
    @bpfglobal
    def LICENSE() -> str:
        return "GPL"

    """)

# line 5, column 12: the list comprehension
BAD = textwrap.dedent("""\
    from pybpf import bpf, section, compile
    @bpf
    @section("xdp")
    def f(ctx) -> int:
        return [x for x in y]
    """)

ELF_BPF = 247  # e_machine of BPF objects


def elf_machine(data):
    return int.from_bytes(data[18:20], "little")


def run_python(args, cwd=None, env=None):
    full_env = dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")
    full_env.update(env or {})
    return subprocess.run([sys.executable] + args, cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=60)


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="pybpf_oneshot_")
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path


class TestBindings(unittest.TestCase):
    def test_object_bytes(self):
        out, warnings = _pybpf.compile(COUNTER, "counter.py")
        self.assertEqual(out[:4], b"\x7fELF")
        self.assertEqual(elf_machine(out), ELF_BPF)
        self.assertIn(b"count_exec", out)
        self.assertEqual(warnings, "")

    def test_source_as_bytes_and_text_outputs(self):
        out, _ = _pybpf.compile(COUNTER.encode(), "counter.py")
        self.assertEqual(out, _pybpf.compile(COUNTER, "counter.py")[0])
        ir, _ = _pybpf.compile(COUNTER, "counter.py", emit="llvm")
        self.assertRegex(ir, r"define .*@count_exec\(")
        asm, _ = _pybpf.compile(COUNTER, "counter.py", emit="asm")
        self.assertRegex(asm, r"(?m)^count_exec:")

    def test_options(self):
        # BPF v4 has sign-extending loads and signed division; v1 has none
        src = COUNTER.replace("counts[pid()] += 1",
                              "x = c_int32(pid())\n    counts[pid()] += x // 3")
        v1, _ = _pybpf.compile(src, "c.py", mcpu="v1", emit="asm")
        v4, _ = _pybpf.compile(src, "c.py", mcpu="v4", emit="asm")
        self.assertNotIn("s/=", v1)
        self.assertIn("s/=", v4)
        o0, _ = _pybpf.compile(COUNTER, "c.py", opt=0)
        o2, _ = _pybpf.compile(COUNTER, "c.py", opt=2)
        self.assertNotEqual(o0, o2)
        for kw, msg in ((dict(opt=4), "opt must be"), (dict(mcpu="v9"), "unknown mcpu 'v9'"),
                        (dict(emit="exe"), "emit must be")):
            with self.assertRaisesRegex(ValueError, msg):
                _pybpf.compile(COUNTER, "c.py", **kw)

    def test_defines_and_debug_compilation_dir(self):
        src = COUNTER.replace("counts[pid()] += 1", "counts[pid()] += STEP")
        src = src.replace("\n@bpf\n", "\nSTEP = 1\n\n@bpf\n", 1)
        ir, _ = _pybpf.compile(src, "c.py", emit="llvm")
        self.assertNotIn("i64 77", ir)
        ir, _ = _pybpf.compile(src, "c.py", emit="llvm", defines=["STEP=77"])
        self.assertIn("i64 77", ir)
        ir, _ = _pybpf.compile(src, "c.py", emit="llvm", defines=("STEP=1", "STEP=0x4d"))
        self.assertIn("i64 77", ir)
        with self.assertRaisesRegex(CompileError, "-D NOPE=1: no module-level constant 'NOPE'"):
            _pybpf.compile(src, "c.py", defines=["NOPE=1"])
        with self.assertRaisesRegex(TypeError, "defines must be a sequence"):
            _pybpf.compile(src, "c.py", defines=[1])
        with self.assertRaisesRegex(TypeError, "defines must be a sequence"):
            _pybpf.compile(src, "c.py", defines=5)
        # the compilation directory recorded in debug info: not the cwd
        a, _ = _pybpf.compile(src, "c.py", debug_compilation_dir="/fixed/dir")
        self.assertIn(b"/fixed/dir", a)
        self.assertNotIn(os.getcwd().encode(), a)
        self.assertIn(os.getcwd().encode(), _pybpf.compile(src, "c.py")[0])
        ir = pybpf.oneshot.compile_source(src, "c.py", emit="llvm", defines=["STEP=77"])
        self.assertIn("i64 77", ir)
        self.assertEqual(pybpf.oneshot.compile_source(src, "c.py", debug_compilation_dir="/fixed/dir"), a)

    def test_kernel_types_in_one_process(self):
        """Kernel types compile any number of times in one process (LLVM's CO-RE
        pass caches per-process state) to the same bytes; btf= picks the BTF."""
        if not os.path.exists("/sys/kernel/btf/vmlinux"):
            self.skipTest("no /sys/kernel/btf/vmlinux")
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "kernel",
                            "semantics", "kernel_task_struct.py")
        with open(path) as f:
            src = f.read()
        first, _ = _pybpf.compile(src, "task_struct.py")
        for _ in range(3):
            self.assertEqual(_pybpf.compile(src, "task_struct.py")[0], first)
        self.assertEqual(_pybpf.compile(src, "task_struct.py", btf="/sys/kernel/btf/vmlinux")[0],
                         first)
        self.assertIn(b"task_struct___pybpf00000000", first)
        with self.assertRaisesRegex(CompileError, "cannot read kernel BTF from '/nonexistent'"):
            _pybpf.compile(src, "task_struct.py", btf="/nonexistent")

    def test_warnings_are_returned(self):
        src = COUNTER[:COUNTER.index("@bpf\n@bpfglobal")]
        _, warnings = _pybpf.compile(src, "nolicense.py")
        self.assertRegex(warnings, r"^nolicense\.py: warning: no LICENSE global")

    def test_compile_error(self):
        with self.assertRaises(CompileError) as cm:
            _pybpf.compile(BAD, "bad.py")
        e = cm.exception
        self.assertRegex(str(e), r"^bad\.py:5:12: error: list comprehensions are not supported")
        self.assertIn("^~~~", str(e))  # the caret line
        self.assertEqual((e.filename, e.lineno, e.offset), ("bad.py", 5, 12))
        self.assertEqual(e.diagnostics[0][:4], ("error", "bad.py", 5, 12))
        self.assertIs(CompileError, _pybpf.compile_error_type())

    def test_syntax_error(self):
        with self.assertRaisesRegex(CompileError, r"^s\.py:1:3: error: '\(' was never closed"):
            _pybpf.compile("x=(\n", "s.py")

    def test_reentrant_and_threads(self):
        outs = {_pybpf.compile(COUNTER, "c.py")[0] for _ in range(20)}
        self.assertEqual(len(outs), 1)
        # the GIL is released while compiling: threads compile concurrently
        import threading
        errors = []

        def work():
            try:
                for _ in range(5):
                    outs.add(_pybpf.compile(COUNTER, "c.py")[0])
                    self.assertRaises(CompileError, _pybpf.compile, BAD, "bad.py")
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual((len(outs), errors), (1, []))

    def test_versions(self):
        version, llvm = _pybpf.compiler_version()
        self.assertRegex(version, r"^\d+\.\d+\.\d+$")
        self.assertRegex(llvm, r"^LLVM 19\.")


class TestCompile(TempDirTest):
    def test_compile_next_to_the_calling_file(self):
        prog = self.write("prog.py", COUNTER + "print('OUT', compile())\n")
        r = run_python([prog], cwd="/")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = os.path.join(self.dir, "prog.bpf.o")
        self.assertEqual(r.stdout.strip(), "OUT " + out)
        with open(out, "rb") as f:
            data = f.read()
        self.assertEqual(elf_machine(data), ELF_BPF)
        # the loader opens it (no load: no privileges needed)
        with pybpf.open(out) as obj:
            self.assertEqual(list(obj.programs), ["count_exec"])
            self.assertIn("counts", obj.maps)
        if os.access(CLI, os.X_OK):  # same bytes as `pybpf compile`
            cli_out = os.path.join(self.dir, "cli.bpf.o")
            subprocess.run([CLI, "compile", prog, "-o", cli_out], check=True)
            with open(cli_out, "rb") as f:
                self.assertEqual(f.read(), data)

    def test_compile_from_a_function_and_pythonbpf_spelling(self):
        src = COUNTER.replace("from pybpf import", "from pythonbpf import") \
            .replace("pybpf.", "pythonbpf.")
        prog = self.write("prog2.py", src + "def build():\n    return compile()\n"
                                            "print(build())\n")
        r = run_python([prog])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), os.path.join(self.dir, "prog2.bpf.o"))

    def test_path_and_output(self):
        prog = self.write("p.py", COUNTER)
        out = os.path.join(self.dir, "sub.o")
        self.assertEqual(pybpf.compile(prog, output=out), out)
        with open(out, "rb") as f:
            self.assertEqual(elf_machine(f.read()), ELF_BPF)
        ll = pybpf.compile_to_ir(prog)
        self.assertEqual(ll, os.path.join(self.dir, "p.ll"))
        with open(ll) as f:
            self.assertRegex(f.read(), r"define .*@count_exec\(")

    def test_error_removes_output(self):
        prog = self.write("bad.py", BAD)
        out = self.write("bad.bpf.o", "stale")
        with self.assertRaises(CompileError) as cm:
            pybpf.compile(prog)
        self.assertTrue(str(cm.exception).startswith(prog + ":5:12: error: "), str(cm.exception))
        self.assertFalse(os.path.exists(out))
        self.assertEqual(os.listdir(self.dir), ["bad.py"])

    def test_error_as_script(self):
        prog = self.write("bad.py", BAD + "compile()\n")
        r = run_python([prog])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("CompileError: " + prog + ":5:12: error: list comprehensions", r.stderr)
        self.assertEqual(os.listdir(self.dir), ["bad.py"])

    def test_warnings_on_stderr(self):
        src = COUNTER[:COUNTER.index("@bpf\n@bpfglobal")]
        prog = self.write("w.py", src + "compile()\n")
        r = run_python([prog])
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("w.py: warning: no LICENSE global", r.stderr)
        prog = self.write("q.py", src + "import logging\ncompile(loglevel=logging.ERROR)\n")
        r = run_python([prog])
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        # pythonbpf passes the level positionally
        prog = self.write("q2.py", src + "import logging\nprint(compile(logging.ERROR))\n")
        r = run_python([prog])
        self.assertEqual((r.returncode, r.stderr), (0, ""))
        self.assertEqual(r.stdout.strip(), os.path.join(self.dir, "q2.bpf.o"))

    def test_examples_compile_as_with_the_cli(self):
        self.assertTrue(os.access(CLI, os.X_OK), "no pybpf CLI at " + CLI)
        examples = sorted(f for f in os.listdir(os.path.join(SOURCE_DIR, "examples"))
                          if f.endswith(".py"))
        self.assertIn("oneshot_counter.py", examples)
        for name in examples:
            with self.subTest(example=name):
                src = os.path.join(SOURCE_DIR, "examples", name)
                out = os.path.join(self.dir, name + ".o")
                subprocess.run([CLI, "compile", src, "-o", out], check=True,
                               capture_output=True)
                with open(src, "rb") as f, open(out, "rb") as o:
                    self.assertEqual(pybpf.oneshot.compile_source(f.read(), src), o.read())

    def test_blog_program(self):
        # the pythonbpf blog's program, unchanged: ends with compile()
        prog = os.path.join(self.dir, "seed_blog.py")
        shutil.copy(os.path.join(SOURCE_DIR, "tests/kernel/programs/seed_blog.py"), prog)
        r = run_python([prog])
        self.assertEqual(r.returncode, 0, r.stderr)
        with pybpf.open(os.path.join(self.dir, "seed_blog.bpf.o")) as obj:
            self.assertEqual(sorted(obj.programs), ["hello", "hello_again"])


class TestBPFWithoutLoading(TempDirTest):
    def test_in_memory_no_files(self):
        # BPF() compiles and opens in memory: neither the program's directory
        # nor TMPDIR gets a file
        tmp = os.path.join(self.dir, "tmp")
        os.mkdir(tmp)
        prog = self.write("prog.py", COUNTER.replace("compile", "BPF") + textwrap.dedent("""\
            b = BPF()
            print(b.loaded, sorted(b.programs), "counts" in b.maps, len(b.object_bytes) > 0)
            b.close()
            """))
        r = run_python([prog], cwd=self.dir, env={"TMPDIR": tmp})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.strip(), "False ['count_exec'] True True")
        self.assertEqual(sorted(os.listdir(self.dir)), ["prog.py", "tmp"])
        self.assertEqual(os.listdir(tmp), [])

    def test_text_and_path(self):
        with pybpf.BPF(text=COUNTER) as b:
            self.assertEqual(b.name, "<text>")
            self.assertFalse(b.loaded)
            self.assertEqual(b["counts"].name, "counts")
            self.assertEqual(b["count_exec"].name, "count_exec")
            self.assertIn("counts", b)
            self.assertNotIn("nothing", b)
            self.assertEqual(b["count_exec"].section, "tracepoint/syscalls/sys_enter_execve")
        prog = self.write("named.py", COUNTER)
        with pybpf.BPF(prog) as b:
            self.assertEqual((b.name, b.filename), ("named", prog))
            self.assertEqual(b.object_bytes, pybpf.oneshot.compile_source(COUNTER, prog))

    def test_definitions_index_the_object(self):
        prog = self.write("defs.py", COUNTER)
        ns = {"__name__": "defs", "__file__": prog}
        exec(builtins_compile(COUNTER, prog), ns)
        with pybpf.BPF(prog) as b:
            self.assertEqual(b[ns["counts"]].name, "counts")
            self.assertEqual(b[ns["count_exec"]].name, "count_exec")

    def test_errors(self):
        with self.assertRaisesRegex(CompileError, r"^<text>:5:12: error: list comprehensions"):
            pybpf.BPF(text=BAD)
        with self.assertRaisesRegex(CompileError, r"^mine\.py:5:12: error: "):
            pybpf.BPF(text=BAD, name="mine.py")
        with self.assertRaisesRegex(ValueError, "not both"):
            pybpf.BPF(path="x.py", text=COUNTER)
        with self.assertRaises(FileNotFoundError):
            pybpf.BPF(path=os.path.join(self.dir, "missing.py"))


def builtins_compile(src, filename):
    import builtins
    return builtins.compile(src, filename, "exec")


class TestCaller(TempDirTest):
    def test_notebook_style_source(self):
        # a cell's code is not a file, but linecache has it (IPython does this)
        import linecache
        name = "<ipython-input-1-abc>"
        linecache.cache[name] = (len(COUNTER), None, COUNTER.splitlines(True), name)
        self.addCleanup(linecache.cache.pop, name, None)
        ns = {"__name__": "cell"}
        exec(builtins_compile(COUNTER + "b = BPF()\nb.close()\n", name),
             dict(ns, BPF=pybpf.BPF, __builtins__=__builtins__))
        with pybpf.BPF(name) as b:
            self.assertEqual(sorted(b.programs), ["count_exec"])


if __name__ == "__main__":
    logging.basicConfig()
    unittest.main(verbosity=2)
