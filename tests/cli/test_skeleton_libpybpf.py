#!/usr/bin/env python3
"""`pybpf gen skeleton --libpybpf`: the libpybpf flavour of the C skeleton
(stdlib unittest).

Usage: test_skeleton_libpybpf.py PYBPF SOURCE_DIR LIBPYBPF_A CLASS
SkeletonLibpybpfTest checks the header without the kernel (contents, C and
C++ with -Werror, a loader links against libpybpf); SkeletonLibpybpfKernelTest
(root; "SKIP: ..." otherwise) runs tests/cli/skel/skel_loader_libpybpf.c.
Ends with "N passed, N failed".
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

PYBPF = SOURCE = LIBPYBPF_A = SKEL_DIR = None


def run(*args):
    return subprocess.run([PYBPF, *args], capture_output=True, text=True, errors="replace",
                          timeout=60)


def cc():
    c = shutil.which("cc") or shutil.which("gcc")
    if not c:
        raise unittest.SkipTest("no C compiler")
    return c


def build_loader(testcase, tmp):
    """skel_loader_libpybpf.c against a generated header and libpybpf.a."""
    p = run("gen", "skeleton", os.path.join(SKEL_DIR, "skel_prog.py"), "--libpybpf", "-o",
            os.path.join(tmp, "skel_prog.skel.h"))
    testcase.assertEqual(p.returncode, 0, p.stderr)
    exe = os.path.join(tmp, "loader")
    p = subprocess.run([cc(), "-std=gnu17", "-O2", "-Wall", "-Wextra", "-Werror", "-I", tmp,
                        "-I", os.path.join(SOURCE, "runtime", "include"),
                        os.path.join(SKEL_DIR, "skel_loader_libpybpf.c"), "-o", exe,
                        LIBPYBPF_A, "-lbpf", "-lelf", "-lz"],
                       capture_output=True, text=True, timeout=120)
    testcase.assertEqual(p.returncode, 0, p.stderr)
    return exe


class SkeletonLibpybpfTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.prog = os.path.join(SKEL_DIR, "skel_prog.py")

    def tearDown(self):
        self.tmp.cleanup()

    def test_header(self):
        p = run("gen", "skeleton", self.prog, "--libpybpf")
        self.assertEqual(p.returncode, 0, p.stderr)
        h = p.stdout
        for text in ("#include <pybpf/libpybpf.h>", "struct skel_prog_bpf {",
                     "\tstruct pybpf_object *obj;", "\t\tstruct pybpf_map *counts;",
                     "\t\tstruct pybpf_map *bss;", "\t\tstruct pybpf_program *on_getppid;",
                     "\t\tstruct pybpf_link *on_getppid;", "\tstruct skel_prog_bpf__bss {",
                     "\t\tunsigned int target_pid;", "\t\tstruct stats last;", "\t} *bss;",
                     "\t} *data;",
                     'pybpf_object__find_map_by_name(obj->obj, "counts")',
                     'pybpf_object__find_map_by_name(obj->obj, ".bss")',  # any object name
                     'pybpf_object__find_program_by_name(obj->obj, "on_getppid")',
                     'o.object_name = "skel_prog_bpf";',
                     "skel_prog_bpf__open_opts(const struct pybpf_object_open_opts *opts)",
                     "skel_prog_bpf__open(void)", "skel_prog_bpf__load(struct skel_prog_bpf",
                     "skel_prog_bpf__open_and_load(void)", "skel_prog_bpf__attach(",
                     "skel_prog_bpf__detach(", "skel_prog_bpf__destroy(",
                     "pybpf_object__attach_all(obj->obj)", "pybpf_object__close(obj->obj)",
                     "skel_prog_bpf__elf_bytes(size_t *sz)"):
            self.assertIn(text, h)
        self.assertNotIn("bpf_object_skeleton", h)
        # the same object and layout as the libbpf flavour
        plain = run("gen", "skeleton", self.prog).stdout
        body = lambda t: t[t.index("static inline const void *"):t.index("*sz = sizeof")]
        self.assertEqual(body(h), body(plain))
        layout = lambda t: t[t.index("struct stats {"):t.index("struct skel_prog_bpf {")]
        self.assertEqual(layout(h), layout(plain))
        # from the object too, and with the other options
        obj = os.path.join(self.dir, "skel_prog.bpf.o")
        self.assertEqual(run("compile", self.prog, "-o", obj).returncode, 0)
        p = run("gen", "skeleton", obj, "--name", "other", "--libpybpf")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("struct other {\n\tstruct pybpf_object *obj;", p.stdout)

    def test_every_example_compiles_as_c_and_cxx(self):
        c = cc()
        cxx = shutil.which("g++") or shutil.which("c++")
        inc = os.path.join(SOURCE, "runtime", "include")
        srcs = [os.path.join(SOURCE, "examples", f) for f in
                sorted(os.listdir(os.path.join(SOURCE, "examples"))) if f.endswith(".py")]
        for src in srcs + [self.prog]:
            name = os.path.basename(src)[:-3]
            p = run("gen", "skeleton", src, "--libpybpf", "-o",
                    os.path.join(self.dir, name + ".skel.h"))
            self.assertEqual(p.returncode, 0, p.stderr)
            for lang, compiler, std, ext in (("c", c, "-std=gnu17", "c"),
                                             ("c++", cxx, "-std=c++17", "cpp")):
                if not compiler:
                    continue
                f = os.path.join(self.dir, f"{name}.{ext}")
                with open(f, "w") as out:
                    out.write(f'#include "{name}.skel.h"\nint main(void)\n{{\n'
                              f"\tstruct {name}_bpf *s = {name}_bpf__open();\n"
                              f"\t{name}_bpf__destroy(s);\n\treturn 0;\n}}\n")
                p = subprocess.run([compiler, std, "-O2", "-Wall", "-Wextra", "-Werror", "-I",
                                    self.dir, "-I", inc, "-c", f, "-o", f + ".o"],
                                   capture_output=True, text=True, timeout=120)
                self.assertEqual(p.returncode, 0, f"{src} ({lang}): {p.stderr}")
        build_loader(self, self.dir)  # links against libpybpf

    def test_open_without_the_kernel(self):
        """open() needs no privileges: the section pointers are the initial
        image, and writing them is what load uses."""
        exe = build_loader(self, self.dir)
        with open(os.path.join(self.dir, "open.c"), "w") as f:
            f.write('#include "skel_prog.skel.h"\n#include <stdio.h>\nint main(void)\n{\n'
                    "\tstruct skel_prog_bpf *s = skel_prog_bpf__open();\n"
                    "\tif (!s)\n\t\treturn 1;\n"
                    "\ts->data->step = 9;\n"
                    "\tunsigned long long v = 0;\n"
                    '\tpybpf_global__read(pybpf_object__find_global(s->obj, "step"), &v, '
                    "sizeof v);\n"
                    '\tprintf("%s %llu %d %d\\n", pybpf_object__name(s->obj), v,\n'
                    "\t       s->progs.on_getppid != NULL, s->links.on_getppid == NULL);\n"
                    "\tskel_prog_bpf__destroy(s);\n\treturn 0;\n}\n")
        exe = os.path.join(self.dir, "open")
        p = subprocess.run([cc(), "-std=gnu17", "-Wall", "-Werror", "-I", self.dir, "-I",
                            os.path.join(SOURCE, "runtime", "include"),
                            os.path.join(self.dir, "open.c"), "-o", exe, LIBPYBPF_A, "-lbpf",
                            "-lelf", "-lz"], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        p = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        self.assertEqual((p.returncode, p.stdout), (0, "skel_prog_bpf 9 1 1\n"), p.stderr)

    def test_help(self):
        self.assertIn("[--libpybpf]", run("--help").stdout)


class SkeletonLibpybpfKernelTest(unittest.TestCase):
    def test_loader(self):
        with tempfile.TemporaryDirectory() as tmp:
            exe = build_loader(self, tmp)
            p = subprocess.run([exe], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout,
                         "before load: step=5 global=5 object=skel_prog_bpf\n"
                         "prog=on_getppid section=tracepoint/syscalls/sys_enter_getppid "
                         "map=counts\n"
                         "hits=21 global=21 last.calls=3 last.pid_ok=1 counts[7]=3 lookup=0\n"
                         "after step=100: hits=121\n"
                         "after step=1000: hits=1121 step=1000 write=0\n"
                         "detached: hits=1121 link=(nil)\n")


def main():
    global PYBPF, SOURCE, LIBPYBPF_A, SKEL_DIR
    PYBPF, SOURCE, LIBPYBPF_A, cls = sys.argv[1:5]
    SKEL_DIR = os.path.join(SOURCE, "tests", "cli", "skel")
    if cls.endswith("KernelTest") and os.geteuid() != 0:
        print("SKIP: needs root to load BPF programs")
        return 0
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(globals()[cls])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    for test, reason in result.skipped:
        print(f"SKIP {test.id()}: {reason}")
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
