#!/usr/bin/env python3
"""Tests of the `pybpf` command line (stdlib unittest).

Usage: test_cli.py PYBPF SOURCE_DIR [CompileTest|RunTest]
RunTest (pybpf run, bpftool) needs root: without it the whole run prints
"SKIP: ..." first, so ctest reports it as skipped, never as passed.
Ends with "N passed, N failed".
"""
import os
import re
import shutil
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

    def test_kernel_types_carry_core_relocations(self):
        """Field reads on vmlinux types are CO-RE relocations in .BTF.ext."""
        vmlinux = "/sys/kernel/btf/vmlinux"
        objdump = shutil.which("llvm-objdump-19") or shutil.which("llvm-objdump")
        bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
        if not os.path.exists(vmlinux) or not objdump or not os.path.exists(bpftool):
            self.skipTest("needs /sys/kernel/btf/vmlinux, llvm-objdump and bpftool")
        src = os.path.join(SOURCE, "tests", "kernel", "semantics", "kernel_task_struct.py")
        for btf_args in (["--btf", vmlinux], ["--btf=" + vmlinux], []):
            p = run("compile", src, "-o", self.out(), *btf_args)
            self.assertEqual(p.returncode, 0, p.stderr)
        relocs = subprocess.run([objdump, "-dr", self.out()], capture_output=True, text=True,
                                check=True).stdout
        for field in ("pid", "tgid", "real_parent", "comm", "se.load.weight", "mm"):
            self.assertRegex(relocs, r"CO-RE <byte_off> \[\d+\] struct task_struct\S*::%s "
                             % re.escape(field))
        # the CO-RE queries are relocations of their own kinds
        for kind in ("field_exists", "byte_sz", "type_exists", "type_size"):
            self.assertRegex(relocs, r"CO-RE <%s> \[\d+\] struct task_struct" % kind)
        # a field inside an anonymous member: the access goes through it
        self.assertRegex(relocs, r"CO-RE <byte_off> \[\d+\] struct mm_struct\S*::<anon \d+>\.total_vm ")
        dump = subprocess.run([bpftool, "btf", "dump", "file", self.out()],
                              capture_output=True, text=True, check=True).stdout
        # only the members the program reads, by their kernel names
        m = re.search(r"STRUCT 'task_struct___pybpf0+' size=\d+ vlen=(\d+)", dump)
        self.assertIsNotNone(m, dump)
        self.assertEqual(int(m.group(1)), 6)  # se, pid, tgid, real_parent, mm, comm

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
            (["check"], "check needs an input file"),
            (["check", "a.py", "b.py"], "more than one input file"),
            (["check", example("hello_world.py"), "--bogus"], "unknown option '--bogus'"),
            (["check", example("hello_world.py"), "-O9"], "unknown optimisation level"),
            (["check", os.path.join(self.dir, "missing.py")], "cannot open"),
            (["compile", example("hello_world.py"), "--btf"], "--btf needs a value"),
        ]
        for args, msg in cases:
            p = run(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(msg, p.stderr, args)
        self.assertEqual(run().returncode, 2)

    def test_help_lists_run_and_check(self):
        p = run("--help")
        self.assertIn("  run FILE.py [--duration SECONDS]", p.stdout)
        self.assertIn("  check FILE.py [compile options]", p.stdout)
        self.assertIn("verifier", p.stdout)

    def test_check_reports_compile_errors_first(self):
        bad = os.path.join(self.dir, "bad.py")
        with open(bad, "w") as f:
            f.write("from pybpf import bpf, section\n@bpf\n@section('xdp')\n"
                    "def f(ctx):\n    return undefined\n")
        p = run("check", bad)
        self.assertEqual(p.returncode, 1)
        self.assertRegex(p.stderr, re.escape(bad) + r":5:12: error: name 'undefined' is not defined")
        self.assertNotIn("verifier", p.stderr)

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


OPENAT_PROG = """
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_int32, c_uint32, c_int64
from vmlinux import struct_trace_event_raw_sys_enter

MARKER_LEN = @LEN@  # len(marker)


@bpf
@struct
class open_event:
    flags: c_int64
    name: str(128)


@bpf
@map
def opens() -> HashMap:
    return HashMap(key=c_uint32, value=open_event, max_entries=64)


@bpf
@section("tracepoint/syscalls/sys_enter_openat")
def on_openat(ctx: struct_trace_event_raw_sys_enter) -> c_int32:
    # the syscall tracepoints' arguments are 8-byte slots after the header
    e = open_event()
    n = bpf_probe_read_user_str(e.name, ctx.args[1])
    if n == MARKER_LEN + 1 and e.name[MARKER_LEN - 6] == 109:  # 'm' of "marker"
        e.flags = ctx.args[2]
        opens.update(pid(), e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""


NOTE_PROGRAM = """\
from pybpf import bpf, map, section
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def m() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@section("xdp")
def f(ctx: c_void_p) -> c_int32:
    m.frobnicate(1)
    return 0
"""


def examples():
    """Every .py under examples/, integration projects included."""
    found = []
    for root, _, files in os.walk(os.path.join(SOURCE, "examples")):
        found += [os.path.join(root, n) for n in files if n.endswith(".py")]
    return sorted(found)


class BuildConventionsTest(unittest.TestCase):
    """What build tools expect of a compiler: stdin/stdout, determinism,
    JSON diagnostics, depfiles."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def compile_bytes(self, *args, stdin=None):
        p = subprocess.run([PYBPF, "compile", *args], input=stdin, capture_output=True,
                           timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
        return p.stdout

    def test_stdin_to_stdout(self):
        src = example("hello_world.py")
        with open(src, "rb") as f:
            text = f.read()
        out = self.compile_bytes("-", "-o", "-", stdin=text)
        self.assertEqual(out[:4], ELF_MAGIC)
        # the same bytes as from the file when stdin is given the file's name
        self.assertEqual(self.compile_bytes("-", "--filename", src, "-o", "-", stdin=text),
                         self.compile_bytes(src, "-o", "-"))
        self.assertEqual(self.compile_bytes("-", "--filename=" + src, "-o", "-", stdin=text),
                         self.compile_bytes(src, "-o", "-"))
        self.assertIn(b"<stdin>", out)  # BTF line info names the input

    def test_output_to_a_fifo_or_device(self):
        # `-o /dev/null`, `-MF /dev/null` or a FIFO are written in place: never
        # replaced by a renamed temporary file, never removed after a failed
        # compile (a FIFO stands in for /dev/null here)
        import stat
        import threading
        fifo = self.path("out.fifo")
        os.mkfifo(fifo)
        got = []
        reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()),
                                  daemon=True)
        reader.start()
        p = run("compile", example("hello_world.py"), "-o", fifo)
        reader.join(timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(got and got[0], self.compile_bytes(example("hello_world.py"), "-o", "-"))
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
        bad = self.write("bad.py", "from pybpf import bpf, section\n@bpf\n@section('xdp')\n"
                                   "def f(ctx):\n    return undefined\n")
        p = run("compile", bad, "-o", fifo, "-MF", fifo)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(stat.S_ISFIFO(os.stat(fifo).st_mode))
    def test_stdin_diagnostics_name(self):
        bad = "from pybpf import bpf, section\n@bpf\n@section('xdp')\ndef f(ctx):\n    return undefined\n"
        p = subprocess.run([PYBPF, "compile", "-", "-o", self.path("x.o")], input=bad,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertTrue(p.stderr.startswith("<stdin>:5:12: error: name 'undefined'"), p.stderr)
        p = subprocess.run([PYBPF, "compile", "-", "--filename", "src/prog.py", "-o",
                            self.path("x.o")], input=bad, capture_output=True, text=True,
                           timeout=60)
        self.assertTrue(p.stderr.startswith("src/prog.py:5:12: error: "), p.stderr)
        self.assertFalse(os.path.exists(self.path("x.o")))

    def test_deterministic_output(self):
        for src in examples():
            for args in ([], ["-O0"], ["--mcpu=v1"]):
                a = self.compile_bytes(src, "-o", "-", *args)
                b = self.compile_bytes(src, "-o", "-", *args)
                self.assertEqual(a[:4], ELF_MAGIC, src)
                self.assertEqual(a, b, f"{src} {args}: two compiles differ")
            # through a file too (the temporary-file rename must not matter)
            run("compile", src, "-o", self.path("1.o"))
            run("compile", src, "-o", self.path("2.o"))
            with open(self.path("1.o"), "rb") as f1, open(self.path("2.o"), "rb") as f2:
                self.assertEqual(f1.read(), f2.read(), src)

    def test_deterministic_across_directories(self):
        # the same relative source compiled from two working directories:
        # --debug-compilation-dir makes the bytes identical; without it the
        # cwd is recorded (DW_AT_comp_dir, BTF line info)
        with open(example("hello_world.py")) as f:
            text = f.read()
        dirs = []
        for d in ("one", "two/deeper"):
            os.makedirs(self.path(d))
            with open(os.path.join(self.path(d), "prog.py"), "w") as f:
                f.write(text)
            dirs.append(self.path(d))

        def compile_in(cwd, *args):
            p = subprocess.run([PYBPF, "compile", "prog.py", "-o", "-", *args], cwd=cwd,
                               capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace"))
            return p.stdout

        for args in (["--debug-compilation-dir", "/src"], ["--debug-compilation-dir=."],
                     ["--debug-compilation-dir=/src", "-O0"]):
            a, b = (compile_in(d, *args) for d in dirs)
            self.assertEqual(a[:4], ELF_MAGIC)
            self.assertEqual(a, b, args)
            self.assertNotIn(self.dir.encode(), a, args)
        self.assertIn(b"/src", compile_in(dirs[0], "--debug-compilation-dir=/src"))
        a, b = (compile_in(d) for d in dirs)
        self.assertNotEqual(a, b)
        self.assertIn(dirs[0].encode(), a)
        # the option reaches run/check/gen through the shared compile options
        p = run("gen", "skeleton", example("hello_world.py"), "--debug-compilation-dir=/x",
                "-o", self.path("h.skel.h"))
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("compile", "prog.py", "--debug-compilation-dir")
        self.assertEqual(p.returncode, 2)
        self.assertIn("--debug-compilation-dir needs a value (a directory)", p.stderr)

    def test_defines(self):
        # -D NAME=VALUE replaces module-level integer constants (plain and
        # Final) in the BPF code; the default is the source's value
        src = self.write("consts.py", """from pybpf import bpf, section, bpfglobal
from ctypes import c_int64, c_void_p
from typing import Final

LIMIT = 5
SCALE: Final = 3
TWICE = LIMIT * 2


@bpf
@section("xdp")
def f(ctx: c_void_p) -> c_int64:
    return LIMIT + SCALE * 1000 + TWICE * 100000


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
""")

        def ret(*args):
            out = self.compile_bytes(src, "--emit=llvm", *args).decode()
            m = re.search(r"ret i64 (-?\d+)", out)
            self.assertIsNotNone(m, out)
            return int(m.group(1))

        self.assertEqual(ret(), 1003005)
        self.assertEqual(ret("-D", "LIMIT=7"), 1403007)  # TWICE follows LIMIT
        self.assertEqual(ret("-DLIMIT=7", "-D", "SCALE=0x10"), 1416007)
        self.assertEqual(ret("-DSCALE=-2", "-DTWICE=0"), -1995)
        self.assertEqual(ret("-DLIMIT=1", "-DLIMIT=2"), 403002)  # the last one wins
        # objects too, and through the shared options of gen skeleton
        a = self.compile_bytes(src, "-o", "-")
        self.assertNotEqual(a, self.compile_bytes(src, "-o", "-", "-DLIMIT=7"))
        p = run("gen", "skeleton", src, "-DLIMIT=7", "-o", self.path("c.skel.h"))
        self.assertEqual(p.returncode, 0, p.stderr)
        p = run("compile", src, "-DNOPE=1", "-o", self.path("c.o"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("error: -D NOPE=1: no module-level constant 'NOPE'", p.stderr)
        self.assertFalse(os.path.exists(self.path("c.o")))

    def test_json_diagnostics(self):
        import json
        bad = self.write("bad.py", "from pybpf import bpf, section\n@bpf\n@section('xdp')\n"
                         "def f(ctx) -> c_int32:\n    return undefined + 1.5\n")
        p = run("compile", bad, "--diagnostics-format=json", "-o", self.path("x.o"))
        self.assertEqual(p.returncode, 1)
        lines = p.stderr.splitlines()
        self.assertEqual(len(lines), 2, p.stderr)
        first, second = (json.loads(l) for l in lines)
        self.assertEqual(first, {"file": bad, "line": 5, "col": 12, "end_line": 5,
                                 "end_col": 21, "severity": "error",
                                 "message": "name 'undefined' is not defined", "notes": []})
        self.assertEqual(second["col"], 24)
        self.assertIn("floating-point", second["message"])
        self.assertFalse(os.path.exists(self.path("x.o")))
        # notes
        p = run("compile", self.write("note.py", NOTE_PROGRAM), "--diagnostics-format=json",
                "-o", self.path("x.o"))
        self.assertEqual(p.returncode, 1)
        d = json.loads(p.stderr)
        self.assertEqual(d["message"], "map 'm' has no method 'frobnicate'")
        self.assertEqual((d["line"], d["col"], d["end_line"], d["end_col"]), (15, 5, 15, 17))
        self.assertEqual(len(d["notes"]), 1)
        note = d["notes"][0]
        self.assertEqual(note["severity"], "note")
        self.assertEqual((note["file"], note["line"], note["col"]), (self.path("note.py"), 8, 5))
        self.assertIn("its methods are lookup()", note["message"])
        # a warning on a successful compile; text stays the default
        warn = self.write("warn.py", "from pybpf import bpf, section\nfrom ctypes import "
                          "c_void_p, c_int32\n@bpf\n@section('xdp')\n"
                          "def f(ctx: c_void_p) -> c_int32:\n    return 2\n")
        p = run("compile", warn, "--diagnostics-format=json", "-o", self.path("w.o"))
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stderr)
        self.assertEqual((d["severity"], d["line"]), ("warning", None))
        self.assertIn("LICENSE", d["message"])
        p = run("compile", warn, "--diagnostics-format=text", "-o", self.path("w.o"))
        self.assertIn(": warning: ", p.stderr)
        # errors beyond the cap: a final note object
        many = "from pybpf import bpf, section\n@bpf\n@section('xdp')\ndef f(ctx):\n" + \
               "".join(f"    x{i} = undefined{i}\n" for i in range(30)) + "    return 0\n"
        p = run("compile", self.write("many.py", many), "--diagnostics-format=json",
                "-o", self.path("x.o"))
        objs = [json.loads(l) for l in p.stderr.splitlines()]
        self.assertEqual(objs[-1]["severity"], "note")
        self.assertRegex(objs[-1]["message"], r"^\d+ more errors not shown$")
        # messages with quotes and non-ASCII stay valid JSON
        odd = self.write("odd.py", "from pybpf import bpf, section\n@bpf\n@section('xdp')\n"
                         "def f(ctx):\n    return \u00e9t\u00e9\n")
        p = run("compile", odd, "--diagnostics-format=json", "-o", self.path("x.o"))
        self.assertIn("'\u00e9t\u00e9'", json.loads(p.stderr)["message"])

    def test_depfile(self):
        src = self.write("prog.py", open(example("exec_counter.py")).read())
        obj = self.path("prog.bpf.o")
        p = run("compile", src, "-o", obj, "-MD")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("prog.bpf.d")) as f:
            self.assertEqual(f.read(), f"{obj}: \\\n  {src}\n")
        p = run("compile", src, "-o", obj, "-MD", "-MF", self.path("deps/x.d"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("cannot write", p.stderr)
        p = run("compile", src, "-o", obj, "-MF", self.path("x.d"), "-MT", "out/prog.o")
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("x.d")) as f:
            self.assertEqual(f.read(), f"out/prog.o: \\\n  {src}\n")
        # the --btf file is a dependency too
        btf = self.path("kernel.btf")
        shutil.copyfile("/sys/kernel/btf/vmlinux", btf)
        p = run("compile", src, "-o", obj, "-MD", "--btf", btf)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("prog.bpf.d")) as f:
            self.assertEqual(f.read(), f"{obj}: \\\n  {src} \\\n  {btf}\n\n{btf}:\n")
        # Make's special characters are escaped
        os.mkdir(self.path("a dir"))
        odd = self.write("a dir/p#1.py", open(example("exec_counter.py")).read())
        p = run("compile", odd, "-o", self.path("o$.o"), "-MD", "-MF", self.path("o.d"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("o.d")) as f:
            text = f.read()
        self.assertIn(self.path("o$$.o") + ":", text)
        self.assertIn(odd.replace(" ", "\\ ").replace("#", "\\#"), text)
        # stdin: no source dependency; -MF - writes to stdout
        with open(src) as f:
            p = subprocess.run([PYBPF, "compile", "-", "-o", obj, "-MF", "-"], stdin=f,
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f"{obj}:\n")
        # a failed compile removes the depfile with the object
        bad = self.write("bad.py", "x = (\n")
        open(self.path("bad.d"), "w").close()
        p = run("compile", bad, "-o", self.path("bad.o"), "-MD")
        self.assertEqual(p.returncode, 1)
        self.assertFalse(os.path.exists(self.path("bad.d")))

    def test_depfile_with_make(self):
        """make rebuilds from the depfile when the source changes, not otherwise."""
        import shutil
        import time
        if not shutil.which("make"):
            self.skipTest("no make")
        src = self.write("prog.py", open(example("exec_counter.py")).read())
        self.write("Makefile", f"prog.bpf.o:\n\t{PYBPF} compile prog.py -o $@ -MD\n"
                   "-include prog.bpf.d\n")
        def make():
            p = subprocess.run(["make", "-C", self.dir], capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            return "compile" in p.stdout
        self.assertTrue(make())
        self.assertFalse(make())
        time.sleep(0.01)
        os.utime(src)  # touch
        self.assertTrue(make())
        self.assertFalse(make())

    def test_usage_errors(self):
        hello = example("hello_world.py")
        cases = [
            (["compile", "-"], "compiling standard input needs -o FILE"),
            (["compile", hello, "-o", "-", "-MD"], "-MD with the output on standard output "
                                                   "needs -MF FILE"),
            (["compile", hello, "--emit=llvm", "-MD"], "needs -MF FILE"),
            (["compile", hello, "--diagnostics-format=xml"], "unknown diagnostics format 'xml'"),
            (["compile", hello, "-MF"], "-MF needs a file name"),
            (["compile", hello, "-MT"], "-MT needs a target name"),
            (["compile", hello, "--filename"], "--filename needs a file name"),
            (["compile", hello, "-D"], "-D needs NAME=VALUE"),
            (["compile", hello] + ["-DX=1"] * 257, "too many -D options (at most 256)"),
        ]
        for args, msg in cases:
            p = run(*args, stdin=subprocess.DEVNULL)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(msg, p.stderr, args)

    def test_help_mentions_the_conventions(self):
        p = run("--help")
        for flag in ("--diagnostics-format=text|json", "-MD", "-MF DEPFILE", "-MT TARGET",
                     "--filename NAME", "--debug-compilation-dir DIR", "-D NAME=VALUE"):
            self.assertIn(flag, p.stdout)


SKEL_DIR = None  # tests/cli/skel


def cc_skeleton_loader(testcase, header_dir, out):
    """Builds skel_loader.c against a generated skel_prog.skel.h."""
    import shutil
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        testcase.skipTest("no C compiler")
    p = subprocess.run([cc, "-std=gnu17", "-Wall", "-Wextra", "-Werror", "-I", header_dir,
                        os.path.join(SKEL_DIR, "skel_loader.c"), "-o", out, "-lbpf"],
                       capture_output=True, text=True, timeout=120)
    testcase.assertEqual(p.returncode, 0, p.stderr)


class SkeletonTest(unittest.TestCase):
    """`pybpf gen skeleton` without the kernel: what the header holds, that it
    compiles with -Werror against plain libbpf, and its errors."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.prog = os.path.join(SKEL_DIR, "skel_prog.py")

    def tearDown(self):
        self.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def test_header_from_py_and_from_object(self):
        p = run("gen", "skeleton", self.prog)
        self.assertEqual(p.returncode, 0, p.stderr)
        header = p.stdout
        obj = self.path("skel_prog.bpf.o")
        self.assertEqual(run("compile", self.prog, "-o", obj).returncode, 0)
        p = run("gen", "skeleton", obj, "-o", self.path("skel_prog.skel.h"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("skel_prog.skel.h")) as f:
            self.assertEqual(f.read(), header)  # same object bytes, same name
        for text in ("struct skel_prog_bpf {", "\t\tstruct bpf_map *counts;",
                     "\t\tstruct bpf_program *on_getppid;", "\t\tstruct bpf_link *on_getppid;",
                     "struct stats {", "\tstruct skel_prog_bpf__bss {",
                     "\t\tunsigned int target_pid;", "\t\tchar __pad1[4];",
                     "\t\tstruct stats last;", "\t} *bss;", "\t\tunsigned long long step;",
                     "\t} *data;", 's->maps[1].name = "skel_pro.bss";',  # libbpf's internal map name
                     "s->maps[1].mmaped = (void **)&obj->bss;",
                     "skel_prog_bpf__open_opts(const struct bpf_object_open_opts *opts)",
                     "skel_prog_bpf__open(void)", "skel_prog_bpf__load(struct skel_prog_bpf",
                     "skel_prog_bpf__open_and_load(void)", "skel_prog_bpf__attach(",
                     "skel_prog_bpf__detach(", "skel_prog_bpf__destroy(",
                     "skel_prog_bpf__elf_bytes(size_t *sz)", "#include <bpf/libbpf.h>"):
            self.assertTrue(text in header, text)
        # the embedded bytes are the object's
        with open(obj, "rb") as f:
            data = f.read()
        lits = re.findall(r'^\t\t"((?:\\x[0-9a-f]{2})*)"', header, re.M)
        self.assertEqual(bytes.fromhex("".join(lits).replace("\\x", "")), data)

    def test_names(self):
        obj = self.path("my-prog.bpf.o")
        self.assertEqual(run("compile", self.prog, "-o", obj).returncode, 0)
        self.assertTrue("struct my_prog_bpf {" in run("gen", "skeleton", obj).stdout)
        self.assertTrue("struct hello {" in run("gen", "skeleton", obj, "--name", "hello").stdout)
        self.assertTrue("struct hi {" in run("gen", "skeleton", obj, "name", "hi").stdout)
        self.assertTrue("struct hey {" in run("gen", "skeleton", obj, "--name=hey").stdout)
        self.assertTrue("struct hello_world_bpf {" in
                        run("gen", "skeleton", example("hello_world.py")).stdout)

    def test_every_example_gives_a_header_that_compiles(self):
        import shutil
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc:
            self.skipTest("no C compiler")
        for src in examples() + [self.prog]:
            name = os.path.basename(src)[:-3]
            if name.endswith(".bpf"):  # prog.bpf.py gives prog_bpf too
                name = name[:-4]
            h = self.path(name + ".skel.h")
            p = run("gen", "skeleton", src, "-o", h)
            self.assertEqual(p.returncode, 0, p.stderr)
            c = self.path(name + ".c")
            with open(c, "w") as f:
                f.write(f'#include "{name}.skel.h"\nint main(void)\n{{\n'
                        f"\tstruct {name}_bpf *s = {name}_bpf__open();\n"
                        f"\t{name}_bpf__destroy(s);\n\treturn 0;\n}}\n")
            p = subprocess.run([cc, "-std=gnu17", "-Wall", "-Wextra", "-Werror", "-c", c,
                                "-o", self.path(name + ".o")], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(p.returncode, 0, f"{src}: {p.stderr}")
        cc_skeleton_loader(self, self.dir, self.path("loader"))
        cxx = shutil.which("g++") or shutil.which("c++")
        if cxx:  # C++ too, as with bpftool's skeletons
            with open(self.path("use.cpp"), "w") as f:
                f.write('#include "skel_prog.skel.h"\nint main()\n{\n'
                        "\tskel_prog_bpf *s = skel_prog_bpf__open();\n"
                        "\tif (s)\n\t\ts->bss->target_pid = 1;\n"
                        "\tskel_prog_bpf__destroy(s);\n\treturn 0;\n}\n")
            p = subprocess.run([cxx, "-std=c++17", "-Wall", "-Wextra", "-Werror", "-c",
                                self.path("use.cpp"), "-I", self.dir, "-o", self.path("cpp.o")],
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_clang_object_rodata_is_writable(self):
        """A clang-built object's `const volatile` globals lose their
        qualifiers in the skeleton (set before load), as with bpftool."""
        obj = os.path.join(BUILD_DIR, "tests", "python", "py_test.bpf.o")
        if not os.path.exists(obj):
            self.skipTest("no clang-built test object")
        p = run("gen", "skeleton", obj, "-o", self.path("py_test.skel.h"))
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(self.path("py_test.skel.h")) as f:
            header = f.read()
        self.assertTrue("\tstruct py_test_bpf__rodata {\n\t\t__u32 target_pid;\n" in header)
        with open(self.path("t.c"), "w") as f:
            f.write('#include "py_test.skel.h"\nint main(void)\n{\n'
                    "\tstruct py_test_bpf *s = py_test_bpf__open();\n"
                    "\tif (s)\n\t\ts->rodata->target_pid = 1;\n"
                    "\tpy_test_bpf__destroy(s);\n\treturn 0;\n}\n")
        p = subprocess.run(["cc", "-std=gnu17", "-Wall", "-Wextra", "-Werror", "-c",
                            self.path("t.c"), "-o", self.path("t.o")], capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_errors(self):
        with open(self.path("bad.py"), "w") as f:
            f.write("x = (\n")
        p = run("gen", "skeleton", self.path("bad.py"), "-o", self.path("bad.h"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("bad.py:1:", p.stderr)
        self.assertFalse(os.path.exists(self.path("bad.h")))
        with open(self.path("notbpf.o"), "wb") as f:
            with open("/bin/true", "rb") as g:
                f.write(g.read())
        p = run("gen", "skeleton", self.path("notbpf.o"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("is not a BPF object libbpf can open", p.stderr)
        cases = [
            (["gen"], "gen needs a kind ('skeleton')"),
            (["gen", "header"], "unknown gen kind (use 'skeleton')"),
            (["gen", "skeleton"], "gen skeleton needs an object or a .py file"),
            (["gen", "skeleton", "a.o", "b.o"], "more than one input file"),
            (["gen", "skeleton", self.prog, "--name", "1x"],
             "skeleton name '1x' is not a C identifier"),
            (["gen", "skeleton", self.prog, "--name"], "--name needs a value"),
            (["gen", "skeleton", self.prog, "-o"], "-o needs a file name"),
            (["gen", "skeleton", self.prog, "--bogus"], "unknown option '--bogus'"),
            (["gen", "skeleton", self.prog, "--mcpu=v9"], "unknown CPU 'v9'"),
            (["gen", "skeleton", self.path("missing.py")], "cannot open"),
        ]
        for args, msg in cases:
            p = run(*args)
            self.assertEqual(p.returncode, 2, args)
            self.assertIn(msg, p.stderr, args)
        self.assertIn("gen skeleton FILE.bpf.o|FILE.py", run("--help").stdout)


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class SkeletonKernelTest(unittest.TestCase):
    """A C program built against a generated skeleton loads, attaches and
    reads globals and a map with plain libbpf."""

    def test_loader(self):
        with tempfile.TemporaryDirectory() as tmp:
            p = run("gen", "skeleton", os.path.join(SKEL_DIR, "skel_prog.py"), "-o",
                    os.path.join(tmp, "skel_prog.skel.h"))
            self.assertEqual(p.returncode, 0, p.stderr)
            loader = os.path.join(tmp, "loader")
            cc_skeleton_loader(self, tmp, loader)
            p = subprocess.run([loader], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "before load: step=5\n"
                         "hits=21 last.calls=3 last.pid_ok=1 counts[7]=3 lookup=0\n")


BUILD_DIR = None  # the pybpf build tree (holds pybpfConfig.cmake)


def build_cmake_project(testcase, tmp, generator):
    """Copies examples/cmake-project to tmp, configures it against this build
    tree with `generator` and builds it; returns (source dir, build dir, build())."""
    import shutil
    if not shutil.which("cmake"):
        testcase.skipTest("no cmake")
    if generator == "Ninja" and not shutil.which("ninja"):
        testcase.skipTest("no ninja")
    src = os.path.join(tmp, "src")
    shutil.copytree(os.path.join(SOURCE, "examples", "cmake-project"), src)
    build = os.path.join(tmp, "build")
    p = subprocess.run(["cmake", "-S", src, "-B", build, "-G", generator,
                        f"-Dpybpf_DIR={BUILD_DIR}"], capture_output=True, text=True, timeout=120)
    testcase.assertEqual(p.returncode, 0, p.stdout + p.stderr)

    def do_build():
        p = subprocess.run(["cmake", "--build", build], capture_output=True, text=True,
                           timeout=300)
        testcase.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p.stdout
    return src, build, do_build


class IntegrationTest(unittest.TestCase):
    """examples/cmake-project from a clean build directory, with Ninja and with
    Makefiles: pybpf_add_bpf_object builds the object and skeleton, rebuilds
    them when the source changes and only then; examples/make-project (a
    pattern rule and a depfile) the same."""

    def check(self, generator):
        import time
        with tempfile.TemporaryDirectory() as tmp:
            src, build, do_build = build_cmake_project(self, tmp, generator)
            out = do_build()
            self.assertIn("pybpf: compiling counter.bpf.py", out)
            self.assertIn("pybpf: generating counter_bpf skeleton", out)
            obj = os.path.join(build, "counter.bpf.o")
            with open(obj, "rb") as f:
                self.assertEqual(f.read(4), ELF_MAGIC)
            self.assertTrue(os.path.exists(os.path.join(build, "counter.skel.h")))
            self.assertTrue(os.path.exists(obj + ".d"))
            self.assertTrue(os.path.exists(os.path.join(build, "getppid_counter")))
            self.assertTrue(os.path.exists(os.path.join(build, "getppid_counter_libpybpf")))
            with open(os.path.join(build, "counter_libpybpf.skel.h")) as f:
                self.assertIn("struct pybpf_object *obj;", f.read())
            mtime = os.stat(obj).st_mtime_ns
            # nothing changed: nothing rebuilt
            out = do_build()
            self.assertNotIn("pybpf:", out)
            self.assertEqual(os.stat(obj).st_mtime_ns, mtime)
            # an unrelated file (the loader, the README): the object is not rebuilt
            time.sleep(0.01)
            os.utime(os.path.join(src, "README.md"))
            os.utime(os.path.join(src, "loader.c"))
            out = do_build()
            self.assertNotIn("pybpf:", out)
            self.assertIn("loader.c", out)
            self.assertEqual(os.stat(obj).st_mtime_ns, mtime)
            # the source: object, skeleton and loader rebuilt
            time.sleep(0.01)
            os.utime(os.path.join(src, "counter.bpf.py"))
            out = do_build()
            self.assertIn("pybpf: compiling counter.bpf.py", out)
            self.assertIn("pybpf: generating counter_bpf skeleton", out)
            self.assertGreater(os.stat(obj).st_mtime_ns, mtime)
            self.assertNotIn("pybpf:", do_build())
            # the sibling module counter.bpf.py imports from (in the depfile)
            with open(obj + ".d") as f:
                self.assertIn(os.path.join(src, "counter_common.py"), f.read())
            mtime = os.stat(obj).st_mtime_ns
            time.sleep(0.01)
            os.utime(os.path.join(src, "counter_common.py"))
            out = do_build()
            self.assertIn("pybpf: compiling counter.bpf.py", out)
            self.assertGreater(os.stat(obj).st_mtime_ns, mtime)
            self.assertNotIn("pybpf:", do_build())

    def test_ninja(self):
        self.check("Ninja")

    def test_makefiles(self):
        self.check("Unix Makefiles")

    def test_function_btf_and_options(self):
        """BTF passes --btf (the file is a dependency: touching it rebuilds the
        object), COMPILE_OPTIONS reach the compiler (-D)."""
        import time
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(SOURCE, "examples", "cmake-project"), src)
            lists = os.path.join(src, "CMakeLists.txt")
            with open(lists) as f:
                text = f.read()
            self.assertIn("counter.bpf.py SKELETON OPT 2)", text)
            with open(lists, "w") as f:
                f.write(text.replace("counter.bpf.py SKELETON OPT 2)",
                                     "counter.bpf.py SKELETON OPT 2 BTF kernel.btf "
                                     "COMPILE_OPTIONS -DNOT_THERE=1)"))
            with open(os.path.join(src, "kernel.btf"), "wb") as f:
                f.write(b"not read: the program imports nothing from vmlinux")
            build = os.path.join(tmp, "build")
            p = subprocess.run(["cmake", "-S", src, "-B", build, "-G", "Unix Makefiles",
                                f"-Dpybpf_DIR={BUILD_DIR}"], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            p = subprocess.run(["cmake", "--build", build, "--target", "counter_bpf"],
                               capture_output=True, text=True, timeout=300)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("-D NOT_THERE=1: no module-level constant 'NOT_THERE'",
                          p.stdout + p.stderr)
            with open(lists, "w") as f:
                f.write(text.replace("counter.bpf.py SKELETON OPT 2)",
                                     "counter.bpf.py SKELETON OPT 2 BTF kernel.btf)"))

            def build_obj():
                p = subprocess.run(["cmake", "--build", build, "--target", "counter_bpf"],
                                   capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                return p.stdout
            self.assertIn("pybpf: compiling counter.bpf.py", build_obj())
            obj = os.path.join(build, "counter.bpf.o")
            with open(obj + ".d") as f:
                self.assertIn(os.path.join(src, "kernel.btf"), f.read())
            self.assertNotIn("pybpf: compiling", build_obj())
            time.sleep(0.01)
            os.utime(os.path.join(src, "kernel.btf"))
            self.assertIn("pybpf: compiling counter.bpf.py", build_obj())

    def test_make_project(self):
        import shutil
        import time
        if not shutil.which("make"):
            self.skipTest("no make")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(SOURCE, "examples", "make-project"), src)

            def make():
                p = subprocess.run(["make", "-C", src, f"PYBPF={PYBPF}"], capture_output=True,
                                   text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                return p.stdout
            out = make()
            self.assertIn("compile counter.py -o counter.bpf.o -MD -MF counter.bpf.d", out)
            self.assertIn("gen skeleton counter.bpf.o -o counter.skel.h", out)
            obj = os.path.join(src, "counter.bpf.o")
            with open(os.path.join(src, "counter.bpf.d")) as f:
                self.assertEqual(f.read(), "counter.bpf.o: \\\n  counter.py \\\n"
                                 "  counter_common.py\n\ncounter_common.py:\n")
            mtime = os.stat(obj).st_mtime_ns
            self.assertNotIn(PYBPF, make())
            time.sleep(0.01)
            os.utime(os.path.join(src, "loader.c"))
            out = make()
            self.assertNotIn(PYBPF, out)
            self.assertIn("loader.c", out)
            self.assertEqual(os.stat(obj).st_mtime_ns, mtime)
            time.sleep(0.01)
            os.utime(os.path.join(src, "counter.py"))
            out = make()
            self.assertIn("compile counter.py", out)
            self.assertIn("gen skeleton", out)
            self.assertGreater(os.stat(obj).st_mtime_ns, mtime)
            # the sibling module it imports from: rebuilt too
            mtime = os.stat(obj).st_mtime_ns
            time.sleep(0.01)
            os.utime(os.path.join(src, "counter_common.py"))
            out = make()
            self.assertIn("compile counter.py", out)
            self.assertGreater(os.stat(obj).st_mtime_ns, mtime)
            self.assertNotIn(PYBPF, make())
            # --debug-compilation-dir=.: the same object from another checkout
            other = os.path.join(tmp, "elsewhere", "checkout")
            shutil.copytree(os.path.join(SOURCE, "examples", "make-project"), other)
            p = subprocess.run(["make", "-C", other, f"PYBPF={PYBPF}", "counter.bpf.o"],
                               capture_output=True, text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            with open(obj, "rb") as f1, open(os.path.join(other, "counter.bpf.o"), "rb") as f2:
                a = f1.read()
                self.assertEqual(a, f2.read())
            self.assertNotIn(tmp.encode(), a)

    def test_python_project(self):
        import shutil
        if not shutil.which("make"):
            self.skipTest("no make")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(SOURCE, "examples", "python-project"), src)

            def make():
                p = subprocess.run(["make", "-C", src, f"PYBPF={PYBPF}"], capture_output=True,
                                   text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                return p.stdout
            self.assertIn("compile counter.py -o counter.bpf.o", make())
            self.assertNotIn(PYBPF, make())
            os.utime(os.path.join(src, "counter.py"))
            self.assertIn("compile counter.py -o counter.bpf.o", make())
            # the object opens with the Python package (no kernel needed)
            p = subprocess.run([sys.executable, "-c",
                                "import pybpf, sys; o = pybpf.open(sys.argv[1]); "
                                "print('target_pid' in o.globals, 'total' in o.globals); "
                                "o.close()", os.path.join(src, "counter.bpf.o")],
                               capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": os.path.join(BUILD_DIR, "python")})
            self.assertEqual((p.returncode, p.stdout), (0, "True True\n"), p.stderr)

    def test_function_errors(self):
        import shutil
        if not shutil.which("cmake"):
            self.skipTest("no cmake")
        with tempfile.TemporaryDirectory() as tmp:
            for body, msg in [
                    ("find_package(pybpf REQUIRED)\npybpf_add_bpf_object(t x.py BOGUS 1)\n",
                     "pybpf_add_bpf_object: unknown arguments: BOGUS;1"),
                    (f"include({SOURCE}/cmake/pybpfFunctions.cmake)\n"
                     "pybpf_add_bpf_object(t x.py)\n",
                     "pybpf_add_bpf_object: PYBPF_EXECUTABLE is not set")]:
                with open(os.path.join(tmp, "CMakeLists.txt"), "w") as f:
                    f.write("cmake_minimum_required(VERSION 3.20)\nproject(t NONE)\n" + body)
                p = subprocess.run(["cmake", "-S", tmp, "-B", os.path.join(tmp, "b"),
                                    f"-Dpybpf_DIR={BUILD_DIR}"], capture_output=True,
                                   text=True, timeout=120)
                self.assertNotEqual(p.returncode, 0)
                self.assertIn(msg, " ".join(p.stderr.split()))
                shutil.rmtree(os.path.join(tmp, "b"))


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class IntegrationKernelTest(unittest.TestCase):
    """The loaders built by examples/cmake-project and make-project load,
    attach and count."""

    def test_make_project_runs(self):
        import shutil
        if not shutil.which("make"):
            self.skipTest("no make")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(SOURCE, "examples", "make-project"), src)
            p = subprocess.run(["make", "-C", src, f"PYBPF={PYBPF}"], capture_output=True,
                               text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            p = subprocess.run([os.path.join(src, "getppid_counter"), "2"],
                               capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "map: 2 getppid calls\nglobal: 2 getppid calls\n")

    def test_python_project_runs(self):
        import shutil
        if not shutil.which("make"):
            self.skipTest("no make")
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(SOURCE, "examples", "python-project"), src)
            subprocess.run(["make", "-C", src, f"PYBPF={PYBPF}"], check=True,
                           capture_output=True, timeout=300)
            p = subprocess.run([sys.executable, os.path.join(src, "getppid_counter.py"), "3"],
                               capture_output=True, text=True, timeout=60,
                               env={**os.environ,
                                    "PYTHONPATH": os.path.join(BUILD_DIR, "python")})
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "map: 3 getppid calls\nglobal: 3 getppid calls\n")

    def test_cmake_project_runs(self):
        with tempfile.TemporaryDirectory() as tmp:
            _, build, do_build = build_cmake_project(self, tmp, "Unix Makefiles")
            do_build()
            for exe in ("getppid_counter", "getppid_counter_libpybpf"):
                p = subprocess.run([os.path.join(build, exe), "4"],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertEqual(p.stdout, "map: 4 getppid calls\nglobal: 4 getppid calls\n")


LIBPYBPF_PROGRAM = r"""
#include <pybpf/libpybpf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	struct pybpf_object *obj = pybpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("open");
		return 1;
	}
	printf("object %s\n", pybpf_object__name(obj));
	pybpf_object__close(obj);
	return 0;
}
"""


def install_tree(prefix, destdir=None):
    """cmake --install of this build tree; raises on failure."""
    env = dict(os.environ)
    if destdir:
        env["DESTDIR"] = destdir
    p = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix],
                       capture_output=True, text=True, timeout=300, env=env)
    if p.returncode != 0:
        raise RuntimeError("cmake --install failed:\n" + p.stdout + p.stderr)


class InstallTest(unittest.TestCase):
    """`cmake --install` into a fresh prefix, then everything used from there
    only: the command, the Python package, pkg-config and find_package(pybpf)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.prefix = os.path.join(cls.tmp.name, "usr")
        install_tree(cls.prefix)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_layout(self):
        for f in ("bin/pybpf", "lib/libpybpf.a", "include/pybpf/libpybpf.h",
                  "lib/pkgconfig/libpybpf.pc", "lib/cmake/pybpf/pybpfConfig.cmake",
                  "lib/cmake/pybpf/pybpfConfigVersion.cmake",
                  "lib/cmake/pybpf/pybpfFunctions.cmake", "share/man/man1/pybpf.1.gz"):
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, f)), f)

    def test_installed_command(self):
        pybpf = os.path.join(self.prefix, "bin", "pybpf")
        p = subprocess.run([pybpf, "--version"], capture_output=True, text=True)
        self.assertRegex(p.stdout, r"^pybpf \d+\.\d+\.\d+ \(LLVM 19\.")
        out = os.path.join(self.tmp.name, "hello.bpf.o")
        p = subprocess.run([pybpf, "compile", example("hello_world.py"), "-o", out],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(out, "rb") as f:
            self.assertEqual(f.read(4), ELF_MAGIC)
        import shutil
        if shutil.which("man"):
            p = subprocess.run(["man", "-l", os.path.join(self.prefix, "share/man/man1/pybpf.1.gz")],
                               capture_output=True, text=True, env={**os.environ, "MANPAGER": "cat",
                                                                     "PAGER": "cat"})
            self.assertIn("gen skeleton", p.stdout)

    def test_python_package(self):
        pydir = os.path.join(self.prefix, "lib",
                             f"python{sys.version_info[0]}.{sys.version_info[1]}",
                             "dist-packages")
        p = subprocess.run([sys.executable, "-c",
                            "import pybpf, pybpf._pybpf, pythonbpf; print(pybpf.__file__); "
                            "import sys; obj = pybpf.oneshot.compile_source("
                            "open(sys.argv[1], 'rb').read(), sys.argv[1]); print(obj[:4])",
                            example("hello_world.py")],
                           capture_output=True, text=True, env={**os.environ, "PYTHONPATH": pydir},
                           cwd=self.tmp.name)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.splitlines(),
                         [os.path.join(pydir, "pybpf", "__init__.py"), "b'\\x7fELF'"])

    def test_python_dir_for_usr(self):
        """Installed to /usr (as a package does), the Python packages go where
        Debian's python3 looks: /usr/lib/python3/dist-packages."""
        with tempfile.TemporaryDirectory() as dest:
            install_tree("/usr", destdir=dest)
            self.assertTrue(os.path.isfile(os.path.join(
                dest, "usr/lib/python3/dist-packages/pybpf/__init__.py")))
            self.assertTrue(os.path.isfile(os.path.join(dest, "usr/bin/pybpf")))

    def test_pkg_config(self):
        import shutil
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc or not shutil.which("pkg-config"):
            self.skipTest("no C compiler or pkg-config")
        env = {**os.environ, "PKG_CONFIG_PATH": os.path.join(self.prefix, "lib", "pkgconfig")}
        p = subprocess.run(["pkg-config", "--cflags", "--libs", "libpybpf"], capture_output=True,
                           text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        flags = p.stdout.split()
        src = os.path.join(self.tmp.name, "use_libpybpf.c")
        with open(src, "w") as f:
            f.write(LIBPYBPF_PROGRAM)
        exe = os.path.join(self.tmp.name, "use_libpybpf")
        p = subprocess.run([cc, "-std=gnu17", "-Wall", "-Werror", src, "-o", exe, *flags],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        obj = os.path.join(self.tmp.name, "x.bpf.o")
        subprocess.run([os.path.join(self.prefix, "bin", "pybpf"), "compile",
                        example("exec_counter.py"), "-o", obj], check=True)
        p = subprocess.run([exe, obj], capture_output=True, text=True)
        self.assertEqual((p.returncode, p.stdout), (0, "object x\n"), p.stderr)

    def test_cmake_libpybpf_target(self):
        """find_package(pybpf) from the prefix gives pybpf::libpybpf."""
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "use_libpybpf.c"), "w") as f:
                f.write(LIBPYBPF_PROGRAM)
            with open(os.path.join(tmp, "CMakeLists.txt"), "w") as f:
                f.write("cmake_minimum_required(VERSION 3.20)\nproject(u C)\n"
                        "find_package(pybpf 0.1 REQUIRED)\n"
                        "add_executable(use_libpybpf use_libpybpf.c)\n"
                        "target_link_libraries(use_libpybpf PRIVATE pybpf::libpybpf)\n")
            build = os.path.join(tmp, "b")
            for cmd in (["cmake", "-S", tmp, "-B", build, f"-DCMAKE_PREFIX_PATH={self.prefix}"],
                        ["cmake", "--build", build]):
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            obj = os.path.join(tmp, "y.bpf.o")
            subprocess.run([os.path.join(self.prefix, "bin", "pybpf"), "compile",
                            example("hello_world.py"), "-o", obj], check=True)
            p = subprocess.run([os.path.join(build, "use_libpybpf"), obj], capture_output=True,
                               text=True)
            self.assertEqual((p.returncode, p.stdout), (0, "object y\n"), p.stderr)

    def test_cmake_project_against_the_install(self):
        import shutil
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "src")
            shutil.copytree(os.path.join(SOURCE, "examples", "cmake-project"), src)
            build = os.path.join(tmp, "build")
            p = subprocess.run(["cmake", "-S", src, "-B", build,
                                f"-DCMAKE_PREFIX_PATH={self.prefix}"],
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            with open(os.path.join(build, "CMakeCache.txt")) as f:
                self.assertIn(f"pybpf_DIR:PATH={self.prefix}/lib/cmake/pybpf", f.read())
            p = subprocess.run(["cmake", "--build", build, "--verbose"], capture_output=True,
                               text=True, timeout=300)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            self.assertIn(os.path.join(self.prefix, "bin", "pybpf") + " compile", p.stdout)
            self.assertTrue(os.path.exists(os.path.join(build, "getppid_counter")))
            for exe in ("getppid_counter", "getppid_counter_libpybpf"):
                if os.geteuid() != 0:
                    break
                p = subprocess.run([os.path.join(build, exe), "3"],
                                   capture_output=True, text=True, timeout=60)
                self.assertEqual(p.stdout, "map: 3 getppid calls\nglobal: 3 getppid calls\n",
                                 p.stderr)


def check_packaged_compiler_lib(testcase, root, tmp):
    """The .deb's compiler library: its shlibs file, and a C program built
    with the extracted root's pkg-config file compiles a .py to a BPF object."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "compiler_lib"))
    from check_object import check_bpf_object
    ctl = os.path.join(tmp, "control")
    subprocess.run(["dpkg-deb", "-e", testcase.deb, ctl], check=True)
    with open(os.path.join(ctl, "shlibs")) as f:
        testcase.assertRegex(f.read(), r"^libpybpfc 0 pybpf( |$)")
    import shutil
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc or not shutil.which("pkg-config"):
        return
    libdir = os.path.join(root, "usr/lib")
    p = subprocess.run(["pkg-config", "--cflags", "--libs", "libpybpfc"], capture_output=True,
                       text=True, check=True,
                       env={**os.environ, "PKG_CONFIG_PATH": os.path.join(libdir, "pkgconfig")})
    exe = os.path.join(tmp, "use_compiler")
    p = subprocess.run([cc, "-std=gnu17", "-Wall", "-Werror",
                        os.path.join(SOURCE, "tests/cli/compiler_lib/use_compiler.c"), "-o", exe,
                        *p.stdout.split()], capture_output=True, text=True, timeout=120)
    testcase.assertEqual(p.returncode, 0, p.stderr)
    obj = os.path.join(tmp, "lib.bpf.o")
    p = subprocess.run([exe, example("hello_world.py"), obj], capture_output=True, text=True,
                       env={**os.environ, "LD_LIBRARY_PATH": libdir}, timeout=120)
    testcase.assertEqual(p.returncode, 0, p.stderr)
    check_bpf_object(testcase, obj, "tracepoint/syscalls/sys_enter_execve")


class DebTest(unittest.TestCase):
    """cpack builds a .deb; extracted into an empty root, its files alone
    compile an example, and (root) the Python package from it compiles,
    loads and runs examples/oneshot_counter.py."""

    def test_deb(self):
        import shutil
        if not shutil.which("cpack") or not shutil.which("dpkg-deb"):
            self.skipTest("no cpack or dpkg-deb")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out")
            p = subprocess.run(["cpack", "-G", "DEB", "-B", out], cwd=BUILD_DIR,
                               capture_output=True, text=True, timeout=600)
            self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            debs = [f for f in os.listdir(out) if f.endswith(".deb")]
            self.assertEqual(len(debs), 1, os.listdir(out))
            deb = self.deb = os.path.join(out, debs[0])
            info = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Depends"],
                                  capture_output=True, text=True, check=True).stdout
            self.assertIn("Package: pybpf", info)
            for dep in ("libbpf1", "libelf1", "python3 (>= 3."):
                self.assertIn(dep, info)
            root = os.path.join(tmp, "root")
            subprocess.run(["dpkg-deb", "-x", deb, root], check=True)
            for f in ("usr/bin/pybpf", "usr/lib/python3/dist-packages/pybpf/__init__.py",
                      "usr/lib/cmake/pybpf/pybpfConfig.cmake", "usr/lib/pkgconfig/libpybpf.pc",
                      "usr/include/pybpf/libpybpf.h", "usr/lib/libpybpf.a",
                      "usr/share/man/man1/pybpf.1.gz", "usr/include/pybpf/compile.h",
                      "usr/lib/libpybpfc.so.0", "usr/lib/pkgconfig/libpybpfc.pc"):
                self.assertTrue(os.path.isfile(os.path.join(root, f)), f)
            check_packaged_compiler_lib(self, root, tmp)
            obj = os.path.join(tmp, "x.bpf.o")
            p = subprocess.run([os.path.join(root, "usr/bin/pybpf"), "compile",
                                example("exec_events.py"), "-o", obj], capture_output=True,
                               text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            env = {**os.environ, "PYTHONPATH": os.path.join(root, "usr/lib/python3/dist-packages")}
            p = subprocess.run([sys.executable, "-c", "import pybpf; print(pybpf.__file__)"],
                               capture_output=True, text=True, env=env, cwd=tmp)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertTrue(p.stdout.startswith(root), p.stdout)
            if os.geteuid() == 0:
                p = subprocess.run([sys.executable, example("oneshot_counter.py")],
                                   capture_output=True, text=True, env=env, cwd=tmp, timeout=120)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertRegex(p.stdout, r"(?m)^child \d+: [1-9]\d* execs$")


EXEC_CTX_PROG = """
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import pid
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import TASK_COMM_LEN


@bpf
@map
def execs() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=2)


@bpf
@section("tracepoint/sched/sched_process_exec")
def on_exec(ctx) -> c_int32:
    if ctx.pid == pid() and ctx.old_pid == pid():
        execs[0] += 1
    else:
        execs[1] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class RunTest(unittest.TestCase):
    def test_run_hello_world(self):
        p = run("run", example("hello_world.py"), "-c", "/bin/true", timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"(?m)^exec at \d+$")
        self.assertRegex(p.stdout, r"(?m)^last:\n  \[0\] = \d+$")
        self.assertIn("1 program attached", p.stderr)

    def test_run_tracepoint_with_kernel_typed_context(self):
        """A tracepoint context typed with a vmlinux struct: CO-RE relocated
        direct reads of array elements (ctx.args[1], ctx.args[2]) give the
        filename pointer and the flags of the openat() the command makes."""
        if not os.path.exists("/sys/kernel/btf/vmlinux"):
            self.skipTest("no /sys/kernel/btf/vmlinux")
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "pybpf-openat-marker")
            open(marker, "w").close()
            prog = os.path.join(tmp, "openat.py")
            with open(prog, "w") as f:
                f.write(OPENAT_PROG.replace("@LEN@", str(len(marker))))
            opener = f"import os; os.close(os.open({marker!r}, os.O_RDONLY | os.O_CLOEXEC))"
            for opt in ("-O0", "-O2"):
                p = run("run", prog, opt, "-c", f"{sys.executable} -c \"{opener}\"", timeout=60)
                self.assertEqual(p.returncode, 0, p.stderr)
                flags = os.O_RDONLY | os.O_CLOEXEC
                self.assertRegex(p.stdout, r'(?m)^  \[\d+\] = \{flags: %d, name: "%s"\}$'
                                 % (flags, re.escape(marker)))

    def test_run_tracepoint_context_typed_from_its_section(self):
        """In a file that imports from vmlinux, an unannotated tracepoint context
        is the event's record: trace_event_raw_sched_process_exec here."""
        if not os.path.exists("/sys/kernel/btf/vmlinux"):
            self.skipTest("no /sys/kernel/btf/vmlinux")
        with tempfile.TemporaryDirectory() as tmp:
            prog = os.path.join(tmp, "exec_ctx.py")
            with open(prog, "w") as f:
                f.write(EXEC_CTX_PROG)
            p = run("run", prog, "-c", "/bin/true", timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            # [0]: the record's pid is the exec'ing task's; [1] (not printed
            # while zero): it is not
            self.assertRegex(p.stdout, r"(?m)^execs:\n  \[0\] = [1-9]\d*$")
            self.assertNotIn("[1] =", p.stdout)

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


HIST_PROGRAM = """\
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, PerCPUArrayMap, PerfEventArray
from pybpf.helper import pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class ev:
    pid: c_uint32
    comm: str(16)


@bpf
@map
def exec_hist() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=64)


@bpf
@map
def cpu_hist() -> PerCPUArrayMap:
    return PerCPUArrayMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@map
def by_pid() -> HashMap:
    return HashMap(key=c_uint32, value=ev, max_entries=1024)


@bpf
@map
def perf_events() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)


@bpf
@section("tracepoint/sched/sched_process_exec")
def on_exec(ctx: c_void_p) -> c_int32:
    exec_hist[1] += 1
    exec_hist[3] += 2
    cpu_hist[2] += 1
    e = ev()
    e.pid = pid()
    comm(e.comm)
    by_pid[e.pid] = e
    perf_events.output(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""

LOST_PROGRAM = """\
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerfEventArray
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@struct
class big:
    words: c_uint64 * 56


@bpf
@map
def flood() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def on_getppid(ctx: c_void_p) -> c_int32:
    b = big()
    flood.output(b)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""

SIGNAL_PROGRAM = """\
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32


@bpf
@struct
class rec:
    pid: c_uint32


@bpf
@map
def sig_events() -> RingBuffer:
    return RingBuffer(max_entries=4096)


@bpf
@section("tracepoint/sched/sched_process_exec")
def pbt_cli_sig(ctx: c_void_p) -> c_int32:
    r = rec()
    r.pid = pid()
    sig_events.output(r)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""


def bpftool_json(*args):
    import json
    import shutil
    bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
    out = subprocess.run([bpftool, "-j", *args], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out) if out.strip() else []


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class RunDecodeTest(unittest.TestCase):
    """`pybpf run` output decoded from BTF, histograms, lost samples, signals."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_ring_buffer_events_decoded(self):
        p = run("run", example("exec_events.py"), "-c", "/bin/true", timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        # exec_event: pid, uid, ts, comm (str(16)) -- one line per event
        self.assertRegex(p.stdout, r'(?m)^events: \{pid: \d+, uid: 0, ts: \d+, comm: "true"\}$')

    def test_perf_events_maps_and_histograms(self):
        prog = self.write("hist.py", HIST_PROGRAM)
        p = run("run", prog, "-c", "/bin/true; /bin/true", timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        self.assertRegex(out, r'(?m)^perf_events: \{pid: \d+, comm: "true"\}$')
        # a map with a struct value, keyed by pid
        self.assertRegex(out, r'(?m)^  \[(\d+)\] = \{pid: \1, comm: "true"\}$')
        # exec_hist: slot 1 counts n, slot 3 counts 2n, slot 2 nothing (bcc's format)
        m = re.search(r"(?m)^exec_hist:\n"
                      r"     value               : count     distribution\n"
                      r"         0 -> 1          : (\d+) +\|(\**) *\|\n"
                      r"         2 -> 3          : 0        \|( *)\|\n"
                      r"         4 -> 7          : (\d+) +\|(\**)\|\n", out)
        self.assertIsNotNone(m, out)
        n1, stars1, blank, n3, stars3 = m.groups()
        self.assertGreaterEqual(int(n1), 3)  # sh and two true
        self.assertEqual(int(n3), 2 * int(n1))
        self.assertEqual((len(stars1), len(blank), len(stars3)), (20, 40, 40))
        # a per-CPU histogram: slot 2 summed over the CPUs, equal to exec_hist's slot 1
        m = re.search(r"(?m)^cpu_hist:\n     value .*\n         0 -> 1          : 0 .*\n"
                      r"         2 -> 3          : (\d+) +\|\*{40}\|$", out)
        self.assertIsNotNone(m, out)
        self.assertEqual(m.group(1), n1)

    def test_perf_buffer_lost_samples_reported(self):
        prog = self.write("lost.py", LOST_PROGRAM)
        # the kernel reports lost samples with the next sample that fits in
        # that CPU's buffer, so one more comes, on the same CPU, once the
        # consumer has drained it
        flood = ("import os, time\nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n"
                 "for _ in range(20000): os.getppid()\n"
                 "time.sleep(0.3)\nos.getppid()\n")
        p = run("run", prog, "-c", f"{sys.executable} -c '{flood}'", timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stderr, r"(?m)^pybpf: flood: lost \d+ samples? on CPU \d+$")
        self.assertRegex(p.stdout, r"(?m)^flood: \{words: \[0, 0, ")

    def run_until_signal(self, sig):
        import signal
        import time
        prog = self.write("sig.py", SIGNAL_PROGRAM)
        proc = subprocess.Popen([PYBPF, "run", prog], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stderr.readline()
            self.assertIn("1 program attached", line)
            progs = [q for q in bpftool_json("prog", "list") if q.get("name") == "pbt_cli_sig"]
            self.assertEqual(len(progs), 1, progs)
            prog_id = progs[0]["id"]
            map_ids = set(progs[0].get("map_ids", []))
            links = [ln["id"] for ln in bpftool_json("link", "list")
                     if ln.get("prog_id") == prog_id]
            self.assertEqual(len(links), 1)
            child = subprocess.run(["/bin/true"])
            time.sleep(0.2)
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.assertEqual(proc.returncode, 0, err)
        self.assertRegex(out, r"(?m)^sig_events: \{pid: \d+\}$")
        del child
        # nothing of the run is left in the kernel (which frees maps and
        # programs in deferred work shortly after their last reference goes)
        left = None
        for _ in range(50):
            left = ({prog_id} & {q["id"] for q in bpftool_json("prog", "list")},
                    set(links) & {ln["id"] for ln in bpftool_json("link", "list")},
                    map_ids & {mp["id"] for mp in bpftool_json("map", "list")})
            if not any(left):
                break
            time.sleep(0.1)
        self.assertEqual(left, (set(), set(), set()))

    def test_sigint_detaches_and_unloads(self):
        import signal
        self.run_until_signal(signal.SIGINT)

    def test_sigterm_detaches_and_unloads(self):
        import signal
        self.run_until_signal(signal.SIGTERM)


# Programs the compiler accepts and the kernel verifier rejects.
GPL_PROGRAM = """\
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32


@bpf
@section("tracepoint/syscalls/sys_enter_getpid")
def hello(ctx: c_void_p) -> c_int32:
    x = 1
    print(f"x is {x}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "Proprietary"
"""

GPL_EXPR_PROGRAM = """\
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64


@bpf
def task_bits(k: c_uint64) -> c_uint64:
    return k + get_current_task()


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def from_sub(ctx: c_void_p) -> c_int32:
    x = c_uint64(5) + get_current_task()
    return c_int32(x)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "MIT"
"""

SPIN_PROGRAM = """\
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def flag() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1)


@bpf
@section("tracepoint/syscalls/sys_enter_getpid")
def wait_for_flag(ctx: c_void_p) -> c_int32:
    v = flag.lookup(0)
    if v:
        while v != 0:
            pass
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""

LONG_LOOP_PROGRAM = """\
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def cfg() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1)


@bpf
@section("tracepoint/syscalls/sys_enter_getpid")
def spin(ctx: c_void_p) -> c_int32:
    n = cfg.lookup(0)
    total = c_uint64(0)
    i = c_uint64(0)
    if n:
        while i != n:
            total += i
            i += 1
    return c_int32(total)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
"""


@unittest.skipUnless(os.geteuid() == 0, "needs root to load BPF programs")
class CheckTest(unittest.TestCase):
    """`pybpf check`: verifier verdicts as diagnostics at the Python source."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(text)
        return path, run("check", path, timeout=120)

    def assert_rejected(self, p, path, line, col, prog, section, message, source, caret):
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stderr.splitlines()
        self.assertRegex(lines[0], "^" + re.escape(f"{path}:{line}:{col}: error: the verifier "
                                                   f"rejected program '{prog}': ") + message)
        self.assertEqual(lines[1], "    " + source)
        self.assertEqual(lines[2], "    " + caret)
        self.assertRegex(lines[3], re.escape(f"{path}: note: at instruction ") +
                         r"\d+" + re.escape(f" of program '{prog}' (section '{section}')"))
        self.assertEqual(lines[4], "note: the end of the verifier log:")
        self.assertEqual(lines[-1], f"{path}: 1 of 1 program rejected by the verifier")
        tail = lines[5:-1]
        self.assertTrue(0 < len(tail) <= 20, tail)
        self.assertTrue(all(t.startswith("  ") for t in tail), tail)
        self.assertEqual(p.stdout, "")
        return tail

    def test_ok(self):
        p = run("check", example("exec_events.py"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, f"{example('exec_events.py')}: ok: 1 program passed the "
                                   "verifier\n")
        # nothing stays loaded
        self.assertNotIn("on_exec", [q.get("name") for q in bpftool_json("prog", "list")])

    def test_gpl_helper_in_non_gpl_program(self):
        path, p = self.check("gpl.py", GPL_PROGRAM)
        tail = self.assert_rejected(
            p, path, 9, 5, "hello", "tracepoint/syscalls/sys_enter_getpid",
            "cannot call GPL-restricted function from non-GPL compatible program$",
            '    print(f"x is {x}")', "    ^")
        self.assertIn("  cannot call GPL-restricted function from non-GPL compatible program",
                      tail)
        self.assertTrue(any(t.startswith("  processed ") for t in tail), tail)

    def test_column_inside_a_line(self):
        path, p = self.check("gplexpr.py", GPL_EXPR_PROGRAM)
        self.assert_rejected(
            p, path, 13, 23, "from_sub", "tracepoint/syscalls/sys_enter_getppid",
            "cannot call GPL-restricted", "    x = c_uint64(5) + get_current_task()",
            "                      ^")

    def test_instruction_in_a_subprogram(self):
        # the program only calls task_bits: the failing call is in the
        # subprogram libbpf appended to it
        text = GPL_EXPR_PROGRAM.replace("    x = c_uint64(5) + get_current_task()\n"
                                        "    return c_int32(x)\n",
                                        "    return c_int32(task_bits(c_uint64(3)))\n")
        path, p = self.check("gplsub.py", text)
        self.assert_rejected(
            p, path, 7, 16, "from_sub", "tracepoint/syscalls/sys_enter_getppid",
            "cannot call GPL-restricted", "    return k + get_current_task()",
            "               ^")

    def test_every_rejected_program_is_reported(self):
        text = GPL_EXPR_PROGRAM.replace(
            "@bpf\n@bpfglobal",
            "@bpf\n@section(\"tracepoint/syscalls/sys_enter_getpid\")\n"
            "def fine(ctx: c_void_p) -> c_int32:\n    return 0\n\n\n"
            "@bpf\n@section(\"tracepoint/syscalls/sys_enter_gettid\")\n"
            "def via_sub(ctx: c_void_p) -> c_int32:\n"
            "    return c_int32(task_bits(c_uint64(3)))\n\n\n@bpf\n@bpfglobal")
        path, p = self.check("two.py", text)
        self.assertEqual(p.returncode, 1, p.stderr)
        errors = re.findall(r"(?m)^" + re.escape(path) + r":(\d+):(\d+): error: the verifier "
                            r"rejected program '(\w+)'", p.stderr)
        self.assertEqual(sorted(errors), [("13", "23", "from_sub"), ("7", "16", "via_sub")])
        self.assertNotIn("'fine'", p.stderr)
        self.assertTrue(p.stderr.endswith(f"{path}: 2 of 3 programs rejected by the verifier\n"))

    def test_infinite_loop(self):
        path, p = self.check("spin.py", SPIN_PROGRAM)
        tail = self.assert_rejected(
            p, path, 17, 9, "wait_for_flag", "tracepoint/syscalls/sys_enter_getpid",
            r"infinite loop detected at insn \d+$", "        while v != 0:", "        ^")
        self.assertTrue(any("infinite loop detected" in t for t in tail))

    def test_loop_too_long_for_the_verifier(self):
        path, p = self.check("loop.py", LONG_LOOP_PROGRAM)
        self.assert_rejected(
            p, path, 19, 9, "spin", "tracepoint/syscalls/sys_enter_getpid",
            r"BPF program is too large\. Processed \d+ insn$", "        while i != n:",
            "        ^")

    def test_not_permitted(self):
        import shutil
        if not shutil.which("setpriv"):
            self.skipTest("no setpriv")
        path = os.path.join(self.tmp.name, "hello.py")
        with open(example("hello_world.py")) as f, open(path, "w") as g:
            g.write(f.read())
        os.chmod(self.tmp.name, 0o755)
        p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "--inh-caps=-all", PYBPF, "check", path],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertRegex(p.stderr, "^" + re.escape(path) +
                         r": error: the kernel did not load the object: ")


def main():
    global PYBPF, SOURCE, SKEL_DIR, BUILD_DIR
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    BUILD_DIR = os.path.dirname(os.path.abspath(PYBPF))
    SKEL_DIR = os.path.join(SOURCE, "tests", "cli", "skel")
    loader = unittest.defaultTestLoader
    if len(sys.argv) > 3:
        if sys.argv[3] in ("RunTest", "RunDecodeTest", "CheckTest", "SkeletonKernelTest",
                           "IntegrationKernelTest") and os.geteuid() != 0:
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
