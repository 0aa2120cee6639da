"""Errors raise BpfError with errno (and the verifier log on a rejected load):
a missing file, a file that is not a BPF object, a program the verifier
rejects, loading without privileges, use after close."""

import os
import subprocess
import sys
import tempfile
import unittest

from pytest_common import REJECT_OBJ, TEST_OBJ, main, require_root

require_root()

import pybpf  # noqa: E402


# the verifier refuses the GPL-only helper in a program with an MIT license
GPL_PROGRAM = """\
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64


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


class ErrorTests(unittest.TestCase):
    def test_missing_file(self):
        with self.assertRaises(pybpf.BpfError) as cm:
            pybpf.load("/nonexistent/prog.bpf.o")
        self.assertEqual(cm.exception.errno, 2)
        self.assertIsInstance(cm.exception, OSError)

    def test_bad_object(self):
        with tempfile.NamedTemporaryFile(suffix=".bpf.o") as f:
            f.write(b"this is not an ELF file at all" * 10)
            f.flush()
            with self.assertRaises(pybpf.BpfError) as cm:
                pybpf.load(f.name)
            self.assertGreater(cm.exception.errno, 0)
        with self.assertRaises(pybpf.BpfError):
            pybpf.load(b"\x7fELF garbage")

    def test_verifier_rejection(self):
        with self.assertRaises(pybpf.BpfError) as cm:
            pybpf.load(REJECT_OBJ)
        e = cm.exception
        self.assertEqual(e.errno, 13)  # EACCES: the verifier said no
        self.assertIn("bad_deref", str(e))
        self.assertIsNotNone(e.log)
        # the kernel's complaint about the unchecked lookup result
        self.assertRegex(e.log, r"invalid mem access 'map_value_or_null'")
        self.assertIn("invalid mem access", str(e))

    def test_verifier_rejection_location_c(self):
        # a clang-built object: the location is the C source line and column
        # of the unchecked dereference, from the object's BTF line info
        src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bpf",
                           "py_reject.bpf.c")
        with open(src) as f:
            lines = f.read().splitlines()
        line = next(i for i, t in enumerate(lines, 1) if "return (int)*v;" in t)
        col = lines[line - 1].index("*v") + 1
        with open(REJECT_OBJ, "rb") as f:
            image = f.read()
        for source in (REJECT_OBJ, image):
            with self.assertRaises(pybpf.BpfError) as cm:
                pybpf.load(source)
            e = cm.exception
            self.assertEqual(e.errno, 13)
            self.assertEqual(e.program, "bad_deref")
            self.assertEqual(e.message, "R0 invalid mem access 'map_value_or_null'")
            self.assertTrue(os.path.samefile(e.filename, src), e.filename)
            self.assertEqual((e.lineno, e.col), (line, col))
            self.assertTrue(str(e).startswith(
                "%s:%d:%d: the verifier rejected program 'bad_deref': R0 invalid mem access "
                "'map_value_or_null'\n" % (e.filename, line, col)), str(e))
            self.assertIn("-- BEGIN PROG LOAD LOG --", e.log)

    def test_verifier_rejection_location_python(self):
        # a pybpf-compiled object: the location is the Python source of the
        # call the verifier refuses (a GPL-only helper under an MIT license)
        from pybpf.oneshot import compile_source
        text = GPL_PROGRAM
        obj = compile_source(text, "gplcall.py")
        lines = text.splitlines()
        line = next(i for i, t in enumerate(lines, 1) if "+ get_current_task()" in t)
        col = lines[line - 1].index("get_current_task") + 1
        with self.assertRaises(pybpf.BpfError) as cm:
            pybpf.load(obj)
        e = cm.exception
        self.assertEqual(e.errno, 22)  # EINVAL: the kernel's answer to this one
        # the compiler records the file name made absolute
        self.assertEqual((e.filename, e.lineno, e.col), (os.path.abspath("gplcall.py"), line, col))
        self.assertEqual(e.program, "from_sub")
        self.assertIn("cannot call GPL-restricted function", e.message)
        self.assertTrue(str(e).startswith(
            "%s:%d:%d: the verifier rejected program 'from_sub': %s\n"
            % (e.filename, line, col, e.message)), str(e))
        self.assertIsNotNone(e.log)

    def test_other_errors_have_no_location(self):
        with self.assertRaises(pybpf.BpfError) as cm:
            pybpf.load("/nonexistent/prog.bpf.o")
        e = cm.exception
        for attr in ("program", "message", "lineno", "col"):
            self.assertIsNone(getattr(e, attr), attr)
        self.assertNotIn("verifier", str(e))

    def test_unprivileged_load(self):
        code = ("import pybpf, sys\n"
                "try:\n"
                "    pybpf.load(%r)\n"
                "except pybpf.BpfError as e:\n"
                "    print('errno', e.errno)\n" % TEST_OBJ)
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "--inh-caps=-all", sys.executable, "-c", code],
                           env=dict(os.environ), capture_output=True, text=True, timeout=60)
        self.assertIn(r.stdout.strip(), ("errno 1", "errno 13"), r.stderr)

    def test_use_after_close(self):
        obj = pybpf.load(TEST_OBJ)
        prog = obj.programs["on_getpid"]
        obj.close()
        obj.close()  # idempotent
        with self.assertRaises(pybpf.BpfError) as cm:
            prog.attach()
        self.assertEqual(cm.exception.errno, 9)

    def test_attach_errors(self):
        with pybpf.load(TEST_OBJ) as obj:
            with self.assertRaises(pybpf.BpfError) as cm:
                obj.programs["on_getpid"].attach_tracepoint("nosuchcat", "nosuchtp")
            self.assertEqual(cm.exception.errno, 2)
            self.assertIn("on_getpid", str(cm.exception))
            with self.assertRaises(pybpf.BpfError):
                obj.programs["on_xdp"].attach()  # the section says too little


if __name__ == "__main__":
    main()
