#!/usr/bin/env python3
"""The installed compiler library (libpybpfc, pybpf/compile.h) (stdlib
unittest): `cmake --install` of the build tree into a fresh prefix, then a
small C program (compiler_lib/use_compiler.c) is built against the
installed files only, once through pkg-config and once through
find_package(pybpf) and pybpf::compiler, and compiles a .py to an object,
which must be a BPF ELF with the program's section.

Usage: test_compiler_lib.py PYBPF SOURCE_DIR
Ends with "N passed, N failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "compiler_lib"))
from check_object import check_bpf_object  # noqa: E402

PYBPF = SOURCE = BUILD_DIR = None
PROGRAM = os.path.join(HERE, "compiler_lib", "use_compiler.c")


def check_use_compiler(testcase, exe, tmp, env=None):
    """Runs a built use_compiler: hello_world.py gives a BPF object; a syntax
    error gives exit 1 with the diagnostic."""
    hello = os.path.join(SOURCE, "examples", "hello_world.py")
    obj = os.path.join(tmp, "hello.bpf.o")
    p = subprocess.run([exe, hello, obj], capture_output=True, text=True, timeout=120, env=env)
    testcase.assertEqual(p.returncode, 0, p.stderr)
    testcase.assertRegex(p.stdout, r"^pybpf \d+\.\d+\.\d+ \(LLVM 19\.[\d.]+\): object written\n$")
    check_bpf_object(testcase, obj, "tracepoint/syscalls/sys_enter_execve")
    # the same bytes as the pybpf command's (same compiler, same options)
    if PYBPF:
        ref = os.path.join(tmp, "ref.bpf.o")
        subprocess.run([PYBPF, "compile", hello, "-o", ref], check=True, timeout=120)
        with open(obj, "rb") as a, open(ref, "rb") as b:
            testcase.assertEqual(a.read(), b.read())
    bad = os.path.join(tmp, "bad.py")
    with open(bad, "w") as f:
        f.write("x = (\n")
    p = subprocess.run([exe, bad, os.path.join(tmp, "bad.o")], capture_output=True, text=True,
                       timeout=120, env=env)
    testcase.assertEqual(p.returncode, 1, p.stdout + p.stderr)
    testcase.assertIn(bad + ":1:", p.stderr)
    testcase.assertTrue(p.stdout.endswith(": 1 error(s)\n"), p.stdout)


class CompilerLibInstallTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.prefix = os.path.join(cls.tmp.name, "prefix")
        p = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", cls.prefix],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise RuntimeError("cmake --install failed:\n" + p.stdout + p.stderr)
        cls.libdir = os.path.join(cls.prefix, "lib")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_layout_and_exports(self):
        for f in ("include/pybpf/compile.h", "lib/pkgconfig/libpybpfc.pc",
                  "lib/libpybpfc.so.0.1.0"):
            self.assertTrue(os.path.isfile(os.path.join(self.prefix, f)), f)
        self.assertEqual(os.readlink(os.path.join(self.libdir, "libpybpfc.so.0")),
                         "libpybpfc.so.0.1.0")
        self.assertEqual(os.readlink(os.path.join(self.libdir, "libpybpfc.so")),
                         "libpybpfc.so.0")
        lib = os.path.join(self.libdir, "libpybpfc.so.0.1.0")
        if not shutil.which("nm") or not shutil.which("readelf"):
            self.skipTest("no binutils")
        p = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True,
                           check=True)
        syms = sorted(line.split()[-1].split("@")[0] for line in p.stdout.splitlines()
                      if line.split()[-1] != "PYBPFC_0")
        self.assertEqual(syms, sorted([
            "pybpf_compile", "pybpf_llvm_version", "pybpf_mcpu_valid", "pybpf_result__diag",
            "pybpf_result__diag_cnt", "pybpf_result__diags_text", "pybpf_result__error_cnt",
            "pybpf_result__free", "pybpf_result__output", "pybpf_version"]))
        p = subprocess.run(["readelf", "-d", lib], capture_output=True, text=True, check=True)
        self.assertIn("Library soname: [libpybpfc.so.0]", p.stdout)
        with open(os.path.join(BUILD_DIR, "CMakeCache.txt")) as f:
            static_llvm = "PYBPF_LLVM_STATIC:BOOL=OFF" not in f.read()
        if static_llvm:  # the default: LLVM is inside
            self.assertNotIn("libLLVM", p.stdout)

    def test_pkg_config(self):
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc or not shutil.which("pkg-config"):
            self.skipTest("no C compiler or pkg-config")
        env = {**os.environ, "PKG_CONFIG_PATH": os.path.join(self.libdir, "pkgconfig")}
        p = subprocess.run(["pkg-config", "--cflags", "--libs", "libpybpfc"],
                           capture_output=True, text=True, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            exe = os.path.join(tmp, "use_compiler")
            p = subprocess.run([cc, "-std=gnu17", "-Wall", "-Wextra", "-Werror", PROGRAM, "-o",
                                exe, *p.stdout.split()], capture_output=True, text=True,
                               timeout=120)
            self.assertEqual(p.returncode, 0, p.stderr)
            check_use_compiler(self, exe, tmp,
                               env={**os.environ, "LD_LIBRARY_PATH": self.libdir})

    def test_cmake_package(self):
        if not shutil.which("cmake"):
            self.skipTest("no cmake")
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy(PROGRAM, tmp)
            with open(os.path.join(tmp, "CMakeLists.txt"), "w") as f:
                f.write("cmake_minimum_required(VERSION 3.20)\nproject(u C)\n"
                        "set(CMAKE_C_STANDARD 17)\nset(CMAKE_C_EXTENSIONS ON)\n"
                        "find_package(pybpf 0.1 REQUIRED)\n"
                        "add_executable(use_compiler use_compiler.c)\n"
                        "target_compile_options(use_compiler PRIVATE -Wall -Wextra -Werror)\n"
                        "target_link_libraries(use_compiler PRIVATE pybpf::compiler)\n")
            build = os.path.join(tmp, "b")
            for cmd in (["cmake", "-S", tmp, "-B", build, f"-DCMAKE_PREFIX_PATH={self.prefix}"],
                        ["cmake", "--build", build]):
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
            # the build tree's RPATH finds the installed library
            check_use_compiler(self, os.path.join(build, "use_compiler"), tmp)


def main():
    global PYBPF, SOURCE, BUILD_DIR
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    BUILD_DIR = os.path.dirname(os.path.abspath(PYBPF))
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(CompilerLibInstallTest)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    for test, reason in result.skipped:
        print(f"SKIP {test.id()}: {reason}")
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
