#!/usr/bin/env python3
"""The kernel BTF read lazily, for files that import nothing from vmlinux.

Usage: test_lazy_btf.py PYBPF SOURCE_DIR CompileTest|KernelTest

CompileTest (no root): a file whose contexts need no kernel types
(opaque_ctx.py) compiles with --btf naming a missing file, so the BTF is
never opened, and gives the same bytes as without --btf; a file that needs
it (lazy_btf.py) fails with --btf /nonexistent and compiles to the same bytes
twice with the real BTF, which its depfile lists. KernelTest (root): lazy_btf.py attached with
`pybpf run -c`: a tracepoint's unannotated context read by field, tp_btf
event arguments, and a c_void_p context next to them.
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest

PYBPF = HERE = None


def pybpf(*args, timeout=120):
    return subprocess.run([PYBPF, *args], capture_output=True, text=True, errors="replace",
                          timeout=timeout)


def compiled(src, *args):
    with tempfile.TemporaryDirectory() as tmp:
        obj = os.path.join(tmp, "p.bpf.o")
        p = pybpf("compile", src, "-o", obj, *args)
        data = open(obj, "rb").read() if p.returncode == 0 else None
    return p, data


class CompileTest(unittest.TestCase):
    def test_no_btf_read(self):
        src = os.path.join(HERE, "opaque_ctx.py")
        p, missing = compiled(src, "--btf", "/nonexistent/vmlinux.btf")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        p, default = compiled(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(missing, default)

    def test_btf_needed(self):
        src = os.path.join(HERE, "lazy_btf.py")
        p, _ = compiled(src, "--btf", "/nonexistent/vmlinux.btf")
        self.assertEqual(p.returncode, 1)
        # reported once, at the first use that needs it (on_close's ctx.args)
        self.assertEqual(p.stderr.count("error:"), 1, p.stderr)
        self.assertRegex(p.stderr, r"lazy_btf\.py:23:8: error: cannot read kernel BTF from "
                                   r"'/nonexistent/vmlinux\.btf'")
        self.assertIn("--btf PATH", p.stderr)
        p, first = compiled(src)
        self.assertEqual(p.returncode, 0, p.stderr)
        p, second = compiled(src)
        self.assertEqual(first, second)
        # the typed context reads through CO-RE relocations
        self.assertIn(b"trace_event_raw_sys_enter", first)


    def test_depfile(self):
        """The default kernel BTF is a dependency when it was read."""
        with tempfile.TemporaryDirectory() as tmp:
            deps = {}
            for name in ("lazy_btf", "opaque_ctx"):
                dep = os.path.join(tmp, name + ".d")
                p = pybpf("compile", os.path.join(HERE, name + ".py"), "-o",
                          os.path.join(tmp, name + ".o"), "-MF", dep)
                self.assertEqual(p.returncode, 0, p.stderr)
                deps[name] = open(dep).read()
        self.assertIn(" \\\n  /sys/kernel/btf/vmlinux\n", deps["lazy_btf"])
        self.assertIn("\n/sys/kernel/btf/vmlinux:\n", deps["lazy_btf"])
        self.assertNotIn("vmlinux", deps["opaque_ctx"])


class KernelTest(unittest.TestCase):
    def test_run(self):
        cmd = "python3 -c 'import os; os.dup2(2, 4242); os.close(4242); os.close(os.dup(2))'"
        for opt in ("-O0", "-O2"):
            p = pybpf("run", opt, os.path.join(HERE, "lazy_btf.py"), "-c", cmd)
            self.assertEqual(p.returncode, 0, p.stderr)
            values = dict((int(i), int(v)) for i, v in
                          re.findall(r"^  \[(\d+)\] = (-?\d+)$", p.stdout, re.M))
            self.assertGreaterEqual(values.get(0, 0), 1, (opt, p.stdout))
            self.assertEqual(values.get(1, 0), values.get(0, 0), (opt, p.stdout))
            self.assertEqual(values.get(2, 0), 0, (opt, p.stdout))
            self.assertGreater(values.get(3, 0), 0, (opt, p.stdout))
            self.assertGreaterEqual(values.get(4, 0), 2, (opt, p.stdout))


if __name__ == "__main__":
    PYBPF, SOURCE, which = sys.argv[1], sys.argv[2], sys.argv[3]
    HERE = os.path.join(SOURCE, "tests", "kernel", "context")
    if which == "KernelTest" and os.geteuid() != 0:
        print("SKIP: needs root")
        sys.exit(0)
    unittest.main(argv=sys.argv[:1] + [which] + sys.argv[4:], verbosity=2)
