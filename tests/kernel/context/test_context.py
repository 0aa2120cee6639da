#!/usr/bin/env python3
"""Typed program contexts and event arguments against the kernel.

Usage: test_context.py PYBPF SOURCE_DIR

Programs in this directory take their event's arguments as parameters
typed from the kernel's BTF (sema_context.c): tp_btf and raw_tp programs on
sched_switch and sys_enter and a uprobe/uretprobe pair are attached for
real with `pybpf run -c` and the maps they fill are compared with what the
command did; contexts typed from their section (kprobe, perf_event, cgroup,
socket) go through the verifier with `pybpf check`. fentry, fexit and lsm
programs cannot be loaded by this kernel (EPERM before the verifier runs),
so their code is checked with llvm-objdump, and `pybpf check` must either
pass or fail with that EPERM. Needs root; prints SKIP otherwise.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

PYBPF = HERE = None


def pybpf(*args, timeout=120):
    return subprocess.run([PYBPF, *args], capture_output=True, text=True, errors="replace",
                          timeout=timeout)


def maps(out):
    """{map name: {index: value}} from what `pybpf run` prints at exit."""
    result, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^(\w+):$", line)
        if m:
            cur = result.setdefault(m.group(1), {})
            continue
        m = re.match(r"^  \[(\d+)\] = (-?\d+)$", line)
        if m and cur is not None:
            cur[int(m.group(1))] = int(m.group(2))
    return result


class ContextTest(unittest.TestCase):
    def run_prog(self, prog, command, opt="-O2"):
        p = pybpf("run", opt, prog, "-c", command)
        self.assertEqual(p.returncode, 0, p.stderr)
        return maps(p.stdout)

    def test_sched_switch_arguments(self):
        """prev is the current task: its pid and tgid are tid() and pid()."""
        for opt in ("-O0", "-O2"):
            m = self.run_prog(os.path.join(HERE, "switch_args.py"), "sleep 0.2", opt)
            for name in ("btf_args", "raw_args"):
                self.assertGreater(m[name].get(0, 0), 0, (opt, name, m))
                self.assertNotIn(1, m[name], (opt, name, m))

    def test_sys_enter_arguments(self):
        """regs->orig_ax is the syscall number `id`; close(4242) is seen with
        4242 in PARM1 / regs->di."""
        cmd = "python3 -c 'import os; os.dup2(2, 4242); os.close(4242)'"
        for opt in ("-O0", "-O2"):
            m = self.run_prog(os.path.join(HERE, "sys_enter_args.py"), cmd, opt)["checks"]
            self.assertGreater(m.get(0, 0), 0, (opt, m))
            self.assertGreater(m.get(2, 0), 0, (opt, m))
            self.assertNotIn(1, m, (opt, m))
            self.assertNotIn(3, m, (opt, m))
            self.assertGreaterEqual(m.get(4, 0), 1, (opt, m))
            self.assertGreaterEqual(m.get(5, 0), 1, (opt, m))

    def test_uprobe_arguments(self):
        cc = shutil.which("cc") or shutil.which("gcc")
        self.assertTrue(cc, "no C compiler")
        with tempfile.TemporaryDirectory() as tmp:
            target = os.path.join(tmp, "uprobe_target")
            subprocess.run([cc, "-O1", "-o", target, os.path.join(HERE, "uprobe_target.c")],
                           check=True)
            with open(os.path.join(HERE, "uprobe_args.py")) as f:
                src = f.read().replace("TARGET", target)
            prog = os.path.join(tmp, "uprobe_args.py")
            with open(prog, "w") as f:
                f.write(src)
            for opt in ("-O0", "-O2"):
                m = self.run_prog(prog, target, opt)["hits"]
                self.assertEqual(m, {0: 1, 1: 1, 2: 1}, opt)

    def test_bitfields(self):
        """task_struct.sched_reset_on_fork (a 1-bit field) before and after
        SCHED_RESET_ON_FORK, by direct loads and by probe reads (value + 10)."""
        cmd = ("python3 -c 'import os; os.dup2(2, 4242); os.close(4242); "
               "os.sched_setscheduler(0, os.SCHED_OTHER | os.SCHED_RESET_ON_FORK, "
               "os.sched_param(0)); os.dup2(2, 4243); os.close(4243)'")
        for opt in ("-O0", "-O2"):
            m = self.run_prog(os.path.join(HERE, "bitfields.py"), cmd, opt)["bits"]
            self.assertEqual(m, {0: 10, 1: 10, 2: 11, 3: 11, 4: 2}, opt)
        objdump = shutil.which("llvm-objdump-19") or shutil.which("llvm-objdump")
        self.assertTrue(objdump, "no llvm-objdump")
        with tempfile.TemporaryDirectory() as tmp:
            obj = os.path.join(tmp, "b.bpf.o")
            p = pybpf("compile", os.path.join(HERE, "bitfields.py"), "-o", obj)
            self.assertEqual(p.returncode, 0, p.stderr)
            dis = subprocess.run([objdump, "-dr", obj], capture_output=True, text=True,
                                 check=True).stdout
        for kind in ("byte_off", "byte_sz", "lshift_u64", "rshift_u64"):
            self.assertRegex(dis, rf"CO-RE <{kind}> \[\d+\] struct task_struct___pybpf0+::"
                                  r"sched_reset_on_fork")

    def test_typed_contexts_pass_the_verifier(self):
        for opt in ("-O1", "-O2"):
            p = pybpf("check", opt, os.path.join(HERE, "typed_contexts.py"))
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn("8 programs passed the verifier", p.stdout + p.stderr)

    def test_task_reads_in_any_program_type(self):
        """The verifier accepts probe reads and bpf_get_current_task_btf() in
        xdp, socket and cgroup_skb programs (so pybpf does not reject them)."""
        p = pybpf("check", os.path.join(HERE, "any_type_task.py"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("3 programs passed the verifier", p.stdout + p.stderr)

    def test_trampoline_arguments(self):
        objdump = shutil.which("llvm-objdump-19") or shutil.which("llvm-objdump")
        self.assertTrue(objdump, "no llvm-objdump")
        prog = os.path.join(HERE, "trampoline_args.py")
        with tempfile.TemporaryDirectory() as tmp:
            obj = os.path.join(tmp, "t.bpf.o")
            p = pybpf("compile", prog, "-o", obj)
            self.assertEqual(p.returncode, 0, p.stderr)
            dis = subprocess.run([objdump, "-dr", obj], capture_output=True, text=True,
                                 check=True).stdout
        sections = dict(re.findall(r"Disassembly of section ([^:]+):\n\n[^\n]*\n(.*?)(?=\nDisassembly|\Z)",
                                   dis, re.S))
        fentry = sections["fentry/do_unlinkat"]
        # dfd and name: slots 0 and 1; name->refcnt.counter: a direct CO-RE load
        self.assertRegex(fentry, r"= \*\(u64 \*\)\(r1 \+ 0x0\)")
        self.assertRegex(fentry, r"= \*\(u64 \*\)\(r1 \+ 0x8\)")
        self.assertRegex(fentry, r"= \*\(u32 \*\)\(r\d \+ 0x\w+\)\n\s+\w+:  CO-RE <byte_off> "
                                 r"\[\d+\] struct filename___pybpf0+::refcnt.counter")
        self.assertNotIn("call 0x71", fentry)  # no bpf_probe_read_kernel
        fexit = sections["fexit/do_unlinkat"]
        # ret after the two arguments: slot 2
        self.assertRegex(fexit, r"= \*\(u64 \*\)\(r1 \+ 0x10\)")
        self.assertRegex(fexit, r"CO-RE <byte_off> \[\d+\] struct filename___pybpf0+::uptr")
        lsm = sections["lsm/file_open"]
        self.assertRegex(lsm, r"CO-RE <byte_off> \[\d+\] struct file___pybpf0+::f_flags")
        self.assertRegex(lsm, r"r6 = \*\(u64 \*\)\(r1 \+ 0x8\)")
        self.assertNotIn("call 0x71", fexit + lsm)
        p = pybpf("check", prog)
        if p.returncode != 0:
            # this kernel: EPERM before the verifier runs
            self.assertIn("Operation not permitted", p.stderr)
            print("note: fentry/fexit/lsm programs cannot be loaded by this kernel (EPERM); "
                  "their code was checked with llvm-objdump", file=sys.stderr)


if __name__ == "__main__":
    PYBPF, SOURCE = sys.argv[1], sys.argv[2]
    HERE = os.path.join(SOURCE, "tests", "kernel", "context")
    if os.geteuid() != 0 or not os.path.exists("/sys/kernel/btf/vmlinux"):
        print("SKIP: needs root and /sys/kernel/btf/vmlinux")
        sys.exit(0)
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
