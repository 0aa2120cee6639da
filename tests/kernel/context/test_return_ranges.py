#!/usr/bin/env python3
"""Program types whose return value the verifier restricts, at every -O.

Usage: test_return_ranges.py PYBPF SOURCE_DIR

return_ranges.py holds cgroup (sock, sock_addr, sockopt, sysctl, dev),
cgroup_skb, sockops and sk_lookup programs returning constants and
variables set under conditions; `pybpf check` must pass all of them at -O0,
-O1 and -O2. At -O0 the locals and the return value stay in stack slots, and
the verifier keeps a spilled register's range only in an 8-byte aligned slot:
a u32 return slot at fp-4 made `return 1` an unknown scalar ("R0 ... should
have been in [0, 1]"). lsm programs cannot be loaded by this kernel (EPERM
before the verifier), so for them the -O0 code is checked: every integer
slot is 8-byte aligned. Needs root for `pybpf check`; prints SKIP otherwise.
"""
import os
import re
import subprocess
import sys
import unittest

PYBPF = HERE = None

LSM = '''
from pybpf import bpf, section, bpfglobal
from ctypes import c_int32, c_uint8, c_uint16
from vmlinux import struct_file


@bpf
@section("lsm/file_open")
def on_open(file: struct_file) -> c_int32:
    small: c_uint8 = 1
    mid: c_uint16 = 2
    err: c_int32 = 0
    if file.f_flags == 12345:
        err = -1
    if small + mid == 7:
        err = -13
    return err


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
'''


def pybpf(*args, **kw):
    return subprocess.run([PYBPF, *args], capture_output=True, text=True, errors="replace",
                          timeout=120, **kw)


class ReturnRangeTest(unittest.TestCase):
    def test_restricted_returns_pass_the_verifier(self):
        prog = os.path.join(HERE, "return_ranges.py")
        for opt in ("-O0", "-O1", "-O2"):
            p = pybpf("check", opt, prog)
            self.assertEqual(p.returncode, 0, (opt, p.stderr))
            self.assertIn("15 programs passed the verifier", p.stdout + p.stderr, opt)

    def test_lsm_slots_at_O0_are_8_byte_aligned(self):
        p = pybpf("compile", "-O0", "--emit=asm", "-", "-o", "-", input=LSM)
        self.assertEqual(p.returncode, 0, p.stderr)
        slots = re.findall(r"\*\(u(8|16|32|64) \*\)\(r10 - (\d+)\)", p.stdout)
        self.assertTrue(slots, p.stdout)
        widths = {w for w, _ in slots}
        self.assertTrue({"8", "16", "32"} <= widths, (widths, p.stdout))
        for width, off in slots:
            self.assertEqual(int(off) % 8, 0, (width, off, p.stdout))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    PYBPF = os.path.abspath(sys.argv[1])
    HERE = os.path.join(os.path.abspath(sys.argv[2]), "tests", "kernel", "context")
    if os.geteuid() != 0:
        print("SKIP: test_return_ranges.py needs root")
        sys.exit(0)
    unittest.main(argv=sys.argv[:1], verbosity=2)
