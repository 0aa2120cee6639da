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
