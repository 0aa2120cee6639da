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
        src = os.path.join(SOURCE, "tests", "kernel", "vmlinux", "task_struct.py")
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
    global PYBPF, SOURCE
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    loader = unittest.defaultTestLoader
    if len(sys.argv) > 3:
        if sys.argv[3] in ("RunTest", "RunDecodeTest", "CheckTest") and os.geteuid() != 0:
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
