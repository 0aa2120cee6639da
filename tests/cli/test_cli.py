#!/usr/bin/env python3
"""Tests of the `pybpf` command line (stdlib unittest).

Usage: test_cli.py PYBPF SOURCE_DIR [CompileTest|RunTest]
RunTest (pybpf run, bpftool) needs root: without it the whole run prints
"SKIP: ..." first, so ctest reports it as skipped, never as passed.
Ends with "N passed, N failed".
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

PYBPF = SOURCE = None


def run(*args, **kw):
    return subprocess.run([PYBPF, *args], capture_output=True, text=True, errors="replace",
                          timeout=kw.pop("timeout", 60), **kw)


def example(name):
    return os.path.join(SOURCE, "examples", name)


ELF_MAGIC = b"\x7fELF"


class CompileTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def out(self, name="o.bpf.o"):
        return os.path.join(self.dir, name)

    def test_help_and_version(self):
        p = run("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("usage: pybpf", p.stdout)
        for flag in ("-O0", "--mcpu=", "--emit=obj|llvm|asm"):
            self.assertIn(flag, p.stdout)
        p = run("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^pybpf \d+\.\d+\.\d+ \(LLVM 19\.")

    def test_compile_writes_an_elf_bpf_object(self):
        p = run("compile", example("hello_world.py"), "-o", self.out())
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.out(), "rb") as f:
            data = f.read()
        self.assertEqual(data[:4], ELF_MAGIC)
        self.assertEqual(int.from_bytes(data[18:20], "little"), 247)  # e_machine EM_BPF
        for section in (b".BTF", b".BTF.ext", b".maps", b"license",
                        b"tracepoint/syscalls/sys_enter_execve"):
            self.assertIn(section, data)

    def test_default_output_name(self):
        src = os.path.join(self.dir, "prog.py")
        with open(example("exec_counter.py")) as f, open(src, "w") as g:
            g.write(f.read())
        p = run("compile", src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "prog.bpf.o")))

    def test_emit_llvm_and_asm(self):
        p = run("compile", example("exec_counter.py"), "--emit=llvm")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('target triple = "bpfel"', p.stdout)
        self.assertIn('section "tracepoint/syscalls/sys_enter_execve"', p.stdout)
        p = run("compile", example("exec_counter.py"), "--emit=asm")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"call 1\b")  # bpf_map_lookup_elem
        self.assertIn("exit", p.stdout)
        p = run("compile", example("exec_counter.py"), "--emit=asm", "-o", self.out("x.s"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.out("x.s")) as f:
            self.assertIn("exit", f.read())

    def test_mcpu_and_optimisation_levels(self):
        asm = {}
        for cpu in ("v1", "v2", "v3", "v4"):
            for opt in ("-O0", "-O1", "-O2", "-O3"):
                p = run("compile", example("exec_events.py"), f"--mcpu={cpu}", opt,
                        "-o", self.out())
                self.assertEqual(p.returncode, 0, f"{cpu} {opt}: {p.stderr}")
            asm[cpu] = run("compile", example("exec_counter.py"), f"--mcpu={cpu}",
                           "--emit=asm").stdout
        # v3 has 32-bit registers (w0..w10), v1 does not
        self.assertNotRegex(asm["v1"], r"\bw\d+\b")
        self.assertRegex(asm["v3"], r"\bw\d+\b")
        o0 = run("compile", example("exec_counter.py"), "-O0", "--emit=asm").stdout
        o2 = run("compile", example("exec_counter.py"), "-O2", "--emit=asm").stdout
        self.assertGreater(o0.count("\n"), o2.count("\n"))

    def test_bad_mcpu_is_a_usage_error(self):
        p = run("compile", example("hello_world.py"), "--mcpu=v5", "-o", self.out())
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown CPU 'v5'", p.stderr)
        self.assertFalse(os.path.exists(self.out()))

    def test_usage_errors(self):
        cases = [
            (["frobnicate"], "unknown command 'frobnicate'"),
            (["compile"], "compile needs an input file"),
            (["compile", "a.py", "b.py"], "more than one input file"),
            (["compile", example("hello_world.py"), "-O7"], "unknown optimisation level"),
            (["compile", example("hello_world.py"), "--emit=exe"], "unknown --emit kind"),
            (["compile", example("hello_world.py"), "-o"], "-o needs a file name"),
            (["compile", example("hello_world.py"), "--bogus"], "unknown option '--bogus'"),
            (["compile", os.path.join(self.dir, "missing.py")], "cannot open"),
            (["dump", example("hello_world.py")], "dump needs --tokens or --ast"),
            (["run"], "run needs an input file"),
            (["run", example("hello_world.py"), "--duration", "x"], "bad duration 'x'"),
        ]
        for args, msg in cases:
            p = run(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(msg, p.stderr, args)
        self.assertEqual(run().returncode, 2)

    def test_failed_compile_removes_output(self):
        bad = os.path.join(self.dir, "bad.py")
        with open(bad, "w") as f:
            f.write("from pybpf import bpf, section\n@bpf\n@section('xdp')\n"
                    "def f(ctx) -> c_int32:\n    return 1.5\n")
        with open(self.out(), "wb") as f:
            f.write(b"old object")
        p = run("compile", bad, "-o", self.out())
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, re.escape(bad) + r":5:12: error: floating-point")
        self.assertIn("    return 1.5\n", p.stderr)
        self.assertIn("           ^~~\n", p.stderr)
        self.assertFalse(os.path.exists(self.out()))
        self.assertEqual(os.listdir(self.dir), ["bad.py"])  # no temporary left either

    def test_syntax_error(self):
        bad = os.path.join(self.dir, "syntax.py")
        with open(bad, "w") as f:
            f.write("x = (1,\ny = 2\n")
        p = run("compile", bad, "-o", self.out())
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, re.escape(bad) + r":1:\d+: error: ")
        self.assertFalse(os.path.exists(self.out()))

    def test_binary_and_empty_input_do_not_crash(self):
        for name, data in [("empty.py", b""), ("nul.py", b"x = 1\0\n"),
                           ("binary.py", bytes(range(256)) * 4),
                           ("elf.py", ELF_MAGIC + b"\x02\x01\x01" + b"\0" * 57),
                           ("utf8.py", "# é\nx = 'ü'\n".encode()),
                           ("badutf8.py", b"x = '\xff\xfe'\n")]:
            path = os.path.join(self.dir, name)
            with open(path, "wb") as f:
                f.write(data)
            p = run("compile", path, "-o", self.out())
            self.assertIn(p.returncode, (0, 1), f"{name}: {p.stderr}")
            self.assertNotIn("internal compiler error", p.stderr)

    def test_compile_from_stdin(self):
        with open(example("hello_world.py")) as f:
            p = subprocess.run([PYBPF, "compile", "-", "-o", self.out()], stdin=f,
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.out(), "rb") as f:
            self.assertEqual(f.read(4), ELF_MAGIC)

    def test_dump(self):
        p = run("dump", "--ast", example("hello_world.py"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("Module"))
        self.assertIn('name: "hello"', p.stdout)
        p = run("dump", "--tokens", example("hello_world.py"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('NAME', p.stdout)


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class RunTest(unittest.TestCase):
    def test_run_hello_world(self):
        p = run("run", example("hello_world.py"), "-c", "/bin/true", timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"(?m)^exec at \d+$")
        self.assertRegex(p.stdout, r"(?m)^last:\n  \[0\] = \d+$")
        self.assertIn("1 program attached", p.stderr)

    def test_run_duration(self):
        p = run("run", example("exec_counter.py"), "--duration", "0.3", timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("execs:", p.stdout)

    def test_bpftool_shows_btf_and_python_lines(self):
        """What `bpftool prog show` and `dump xlated ... linum` say about our objects."""
        import json
        import shutil
        bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
        if not os.path.exists("/sys/fs/bpf/"):
            self.skipTest("no bpffs")
        subprocess.run(["mount", "-t", "bpf", "bpf", "/sys/fs/bpf"], capture_output=True)
        for name in ("hello_world.py", "exec_counter.py", "exec_events.py"):
            with tempfile.TemporaryDirectory() as tmp:
                obj = os.path.join(tmp, "x.bpf.o")
                p = run("compile", example(name), "-o", obj)
                self.assertEqual(p.returncode, 0, p.stderr)
                pin = f"/sys/fs/bpf/pybpf_test_{os.getpid()}"
                subprocess.run([bpftool, "prog", "load", obj, pin], check=True,
                               capture_output=True)
                try:
                    show = json.loads(subprocess.run(
                        [bpftool, "-j", "prog", "show", "pinned", pin],
                        check=True, capture_output=True, text=True).stdout)
                    self.assertGreater(show.get("btf_id", 0), 0, name)
                    dump = subprocess.run([bpftool, "prog", "dump", "xlated", "pinned", pin,
                                           "linum"], check=True, capture_output=True,
                                          text=True).stdout
                    self.assertIn(f"[file:{example(name)} line_num:", dump)
                    self.assertRegex(dump, r"(?m)^; return 0 \[file:")
                finally:
                    os.unlink(pin)

    def test_run_reports_compile_errors(self):
        with tempfile.NamedTemporaryFile("w", suffix=".py") as f:
            f.write("from pybpf import bpf, section\n@bpf\n@section('xdp')\n"
                    "def f(ctx):\n    return undefined\n")
            f.flush()
            p = run("run", f.name, "--duration", "1")
        self.assertEqual(p.returncode, 1)
        self.assertIn("name 'undefined' is not defined", p.stderr)


def main():
    global PYBPF, SOURCE
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    loader = unittest.defaultTestLoader
    if len(sys.argv) > 3:
        if sys.argv[3] == "RunTest" and os.geteuid() != 0:
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
