#!/usr/bin/env python3
"""The .deb installed with apt into a fresh Debian 12 root made by
debootstrap, then used from inside it (stdlib unittest). Opt-in (ctest
install_deb_chroot, configured with -DPYBPF_TEST_DEB_CHROOT=ON): it needs
root, debootstrap and the Debian mirror.

The minbase root is cached as a tarball (PYBPF_CHROOT_CACHE, default
<build dir>/debootstrap-bookworm.tar.gz): the first run downloads it
(about 2-3 minutes), later runs extract it in seconds. apt-get then
installs the package and its dependencies (python3, libbpf1, ...) from the
mirror (about 30 seconds).

Usage: test_deb_chroot.py PYBPF SOURCE_DIR
Prints "SKIP: ..." without root or debootstrap; ends with "N passed, N failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PYBPF = SOURCE = BUILD_DIR = None
MIRROR = os.environ.get("PYBPF_DEBIAN_MIRROR", "http://deb.debian.org/debian")


def sh(*args, **kw):
    kw.setdefault("timeout", 900)
    return subprocess.run(args, capture_output=True, text=True, **kw)


class DebChrootTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pybpf-chroot-")
        self.root = os.path.join(self.tmp, "root")
        self.mounts = []

    def tearDown(self):
        for m in reversed(self.mounts):
            sh("umount", "-R", m)
        if not any(os.path.ismount(m) for m in self.mounts):
            shutil.rmtree(self.tmp, ignore_errors=True)

    def must(self, p):
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        return p.stdout

    def chroot(self, *args, **kw):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive",
               "LANG": "C.UTF-8"}
        return sh("chroot", self.root, *args, env=env, **kw)

    def base_root(self):
        cache = os.environ.get("PYBPF_CHROOT_CACHE",
                               os.path.join(BUILD_DIR, "debootstrap-bookworm.tar.gz"))
        if not os.path.exists(cache):
            made = os.path.join(self.tmp, "made")
            self.must(sh("debootstrap", "--variant=minbase", "bookworm", made, MIRROR))
            self.must(sh("tar", "-C", made, "-czf", cache + ".tmp", "."))
            os.replace(cache + ".tmp", cache)
            shutil.rmtree(made)
        os.makedirs(self.root)
        self.must(sh("tar", "-C", self.root, "-xzf", cache))

    def test_install_and_use(self):
        out = os.path.join(self.tmp, "out")
        self.must(sh("cpack", "-G", "DEB", "-B", out, cwd=BUILD_DIR))
        deb = [f for f in os.listdir(out) if f.endswith(".deb")][0]
        self.base_root()
        shutil.copy(os.path.join(out, deb), os.path.join(self.root, "tmp"))
        for f in ("hello_world.py", "oneshot_counter.py"):
            shutil.copy(os.path.join(SOURCE, "examples", f), os.path.join(self.root, "tmp"))
        # resolv.conf for apt inside (debootstrap's copy may be stale)
        shutil.copy("/etc/resolv.conf", os.path.join(self.root, "etc", "resolv.conf"))
        self.must(self.chroot("apt-get", "update"))
        self.must(self.chroot("apt-get", "install", "-y", "--no-install-recommends",
                              "/tmp/" + deb))
        status = self.must(self.chroot("dpkg-query", "-W", "-f", "${Status}", "pybpf"))
        self.assertEqual(status, "install ok installed")
        # the command, the compiler library (found by ldconfig), the Python package
        self.assertRegex(self.must(self.chroot("pybpf", "--version")), r"^pybpf \d+\.\d+\.\d+ ")
        self.must(self.chroot("pybpf", "compile", "/tmp/hello_world.py", "-o", "/tmp/h.bpf.o"))
        with open(os.path.join(self.root, "tmp", "h.bpf.o"), "rb") as f:
            self.assertEqual(f.read(4), b"\x7fELF")
        self.assertIn("libpybpfc.so.0 ", self.must(self.chroot("ldconfig", "-p")))
        self.assertTrue(os.path.exists(os.path.join(self.root,
                                                    "usr/share/man/man1/pybpf.1.gz")))
        self.assertEqual(self.must(self.chroot("python3", "-c",
                                               "import pybpf; print(pybpf.__file__)")),
                         "/usr/lib/python3/dist-packages/pybpf/__init__.py\n")
        # compile, load, attach and run an example inside the root
        for m, how in (("proc", ["--bind", "/proc"]), ("sys", ["--rbind", "/sys"])):
            target = os.path.join(self.root, m)
            self.must(sh("mount", *how, target))
            self.mounts.append(target)
            if m == "sys":
                self.must(sh("mount", "--make-rslave", target))
        p = self.chroot("python3", "/tmp/oneshot_counter.py", timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r"(?m)^child \d+: [1-9]\d* execs$")


def main():
    global PYBPF, SOURCE, BUILD_DIR
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    BUILD_DIR = os.path.dirname(os.path.abspath(PYBPF))
    if os.geteuid() != 0:
        print("SKIP: needs root (debootstrap, chroot, mount)")
        return 0
    for tool in ("debootstrap", "cpack", "chroot"):
        if not shutil.which(tool):
            print(f"SKIP: no {tool}")
            return 0
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(DebChrootTest)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
