"""The kernel-type examples run for real (root): examples/opensnoop.py and
examples/proctree.py are started as users start them, on commands this test
writes, and what they print is checked against what those commands did
(pids, fds, errors, flags, paths, parents, exit codes). Both also load at
every --mcpu and -O level.

Run as root: PYTHONPATH=<build>/python python3 tests/python/test_examples_kernel.py
"""

import os
import re
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest

import pybpf
import pybpf.oneshot

SOURCE_DIR = os.environ.get("PYBPF_SOURCE_DIR") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(pybpf.__file__)))
OPENSNOOP = os.path.join(SOURCE_DIR, "examples", "opensnoop.py")
PROCTREE = os.path.join(SOURCE_DIR, "examples", "proctree.py")
PY_COMM = os.path.basename(sys.executable)[:15]  # exec names the comm

# PID COMM FD ERR FLAGS PATH
OPEN_LINE = re.compile(r"^(\d+)\s+(\S+)\s+(-?\d+)\s+(\d+)\s+(0x[0-9a-f]+)\s+(.*)$")
# PID PPID EXIT [tree] COMM
TREE_LINE = re.compile(r"^(\d+)\s+(\d+)\s+(sig \d+|\d+|-)\s+((?:[|` ]  |[|`]- )*)(\S+)$")


def env():
    return dict(os.environ, PYTHONPATH=PYTHON_DIR, PYTHONDONTWRITEBYTECODE="1")


def run_example(args, **kw):
    return subprocess.run([sys.executable] + args, env=env(), capture_output=True, text=True,
                          timeout=120, **kw)


def opens(stdout):
    """opensnoop's event lines as (pid, comm, fd, err, flags, path)."""
    lines = stdout.splitlines()
    assert lines and lines[0].split() == ["PID", "COMM", "FD", "ERR", "FLAGS", "PATH"], stdout
    out = []
    for line in lines[1:]:
        m = OPEN_LINE.match(line)
        if m:
            out.append((int(m[1]), m[2], int(m[3]), int(m[4]), int(m[5], 16), m[6]))
    return out


def read_ints(path):
    with open(path) as f:
        return [int(x) for x in f.read().split()]


class TestOpensnoop(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="pybpf_ex_opensnoop_")
        self.dir = self.tmp.name
        self.marker = os.path.join(self.dir, "opensnoop-marker")
        self.missing = os.path.join(self.dir, "opensnoop-missing")
        open(self.marker, "w").close()

    def tearDown(self):
        self.tmp.cleanup()

    def test_command_and_its_descendants(self):
        # the command opens the marker and a missing file, then forks a child that opens the marker for writing; it
        # records the pids and fds it got
        result = os.path.join(self.dir, "result")
        cmd = textwrap.dedent(f"""\
            import os
            fd = os.open({self.marker!r}, os.O_RDONLY | os.O_CLOEXEC)
            try:
                os.open({self.missing!r}, os.O_RDONLY)
            except FileNotFoundError:
                pass
            child = os.fork()
            if child == 0:
                cfd = os.open({self.marker!r}, os.O_WRONLY | os.O_APPEND)
                with open({result!r} + ".child", "w") as f:
                    f.write(f"{{os.getpid()}} {{cfd}}")
                os._exit(0)
            os.waitpid(child, 0)
            with open({result!r}, "w") as f:
                f.write(f"{{os.getpid()}} {{fd}}")
            """)
        r = run_example([OPENSNOOP, "--", sys.executable, "-c", cmd])
        self.assertEqual(r.returncode, 0, r.stderr)
        pid, fd = read_ints(result)
        child, cfd = read_ints(result + ".child")
        events = opens(r.stdout)
        # (python opens everything close-on-exec)
        self.assertIn((pid, PY_COMM, fd, 0, os.O_RDONLY | os.O_CLOEXEC, self.marker), events,
                      r.stdout)
        self.assertIn((pid, PY_COMM, -1, 2, os.O_RDONLY | os.O_CLOEXEC, self.missing), events,
                      r.stdout)
        self.assertIn((child, PY_COMM, cfd, 0, os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC,
                       self.marker), events, r.stdout)
        # only the command's processes: the machine's other opens are not shown
        self.assertEqual({e[0] for e in events}, {pid, child}, r.stdout)
        # the command's own imports went through too (python opens its modules)
        self.assertGreater(len(events), 3)

    def test_failed_only_and_exit_status(self):
        cmd = (f"import os, sys; os.close(os.open({self.marker!r}, os.O_RDONLY))\n"
               f"try: os.open({self.missing!r}, os.O_RDONLY)\n"
               f"except OSError: sys.exit(5)\n")
        r = run_example([OPENSNOOP, "-x", "--", sys.executable, "-c", cmd])
        self.assertEqual(r.returncode, 5, r.stderr)  # the command's exit status
        events = opens(r.stdout)
        self.assertIn(self.missing, [e[5] for e in events], r.stdout)
        self.assertNotIn(self.marker, [e[5] for e in events], r.stdout)
        self.assertTrue(all(e[2] == -1 and e[3] > 0 for e in events), r.stdout)

    def test_pid_and_name_filters(self):
        # -p: one running process, chosen before the tool starts; it opens the
        # marker when told to, after the tool has attached (its header), and
        # exits, which ends the tool; another process opening the marker
        # meanwhile is not shown, nor is the process with a -n that does not match
        for extra, shown in ((["-n", PY_COMM[:4]], True), (["-n", "no-such-comm"], False)):
            with self.subTest(filters=extra):
                target = subprocess.Popen(
                    [sys.executable, "-c",
                     "import os, sys; sys.stdin.readline(); "
                     f"print(os.open({self.marker!r}, os.O_RDONLY), flush=True)"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                other = subprocess.Popen(
                    [sys.executable, "-c",
                     f"import os, sys; sys.stdin.readline(); os.open({self.marker!r}, os.O_RDONLY)"],
                    stdin=subprocess.PIPE, text=True)
                try:
                    tool = subprocess.Popen([sys.executable, OPENSNOOP, "-p", str(target.pid)]
                                            + extra, env=env(),
                                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                            text=True)
                    header = tool.stdout.readline()
                    if not header.startswith("PID"):
                        tool.kill()
                        self.fail(f"{header!r} {tool.communicate()}")
                    other.communicate("\n", timeout=30)
                    target.stdin.write("\n")
                    target.stdin.flush()
                    fd = int(target.stdout.readline())
                    target.wait(timeout=30)  # reaped: its /proc entry goes
                    out, err = tool.communicate(timeout=60)
                    self.assertEqual(tool.returncode, 0, err)
                    # (python opens everything close-on-exec)
                    expected = [(target.pid, PY_COMM, fd, 0, os.O_RDONLY | os.O_CLOEXEC,
                                 self.marker)]
                    self.assertEqual(opens(header + out), expected if shown else [], out)
                finally:
                    for p in (target, other):
                        p.kill()
                        p.communicate()


def tree(stdout):
    """proctree's lines as {pid: (ppid, exit, depth, comm)}."""
    lines = stdout.splitlines()
    header = lines.index(next(line for line in lines if line.split()[:3] == ["PID", "PPID",
                                                                              "EXIT"]))
    out = {}
    for line in lines[header + 1:]:
        m = TREE_LINE.match(line)
        assert m, f"not a tree line: {line!r} in\n{stdout}"
        out[int(m[1])] = (int(m[2]), m[3], len(m[4]) // 3, m[5])
    return out


class TestProctree(unittest.TestCase):
    def test_tree_of_a_command(self):
        with tempfile.TemporaryDirectory(prefix="pybpf_ex_proctree_") as d:
            script = os.path.join(d, "tree.sh")
            with open(script, "w") as f:
                f.write(textwrap.dedent(f"""\
                    echo $$ > {d}/root.pid
                    sleep 0.1 &
                    echo $! > {d}/sleep.pid
                    /bin/true
                    sh -c 'echo $$ > {d}/false.pid; exec /bin/false'
                    sh -c 'echo $$ > {d}/killed.pid; kill -9 $$'
                    {sys.executable} -c 'import os, threading
                    t = threading.Thread(target=os.getpid); t.start(); t.join()
                    open("{d}/py.pid", "w").write(str(os.getpid()))'
                    wait
                    exit 7
                    """))
            tool = subprocess.Popen([sys.executable, PROCTREE, "--", "/bin/sh", script],
                                    env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True)
            out, err = tool.communicate(timeout=120)
            self.assertEqual(tool.returncode, 7, err)  # the command's exit status
            root, = read_ints(f"{d}/root.pid")
            sleep, = read_ints(f"{d}/sleep.pid")
            false, = read_ints(f"{d}/false.pid")
            killed, = read_ints(f"{d}/killed.pid")
            py, = read_ints(f"{d}/py.pid")
        t = tree(out)
        # the root: started by the tool, exec'd sh, exit status 7
        self.assertEqual(t[root], (tool.pid, "7", 0, "sh"), out)
        self.assertEqual(t[sleep], (root, "0", 1, "sleep"), out)
        self.assertEqual(t[false], (root, "1", 1, "false"), out)
        self.assertEqual(t[killed], (root, "sig 9", 1, "sh"), out)
        self.assertEqual(t[py], (root, "0", 1, PY_COMM), out)
        trues = [pid for pid, v in t.items() if v == (root, "0", 1, "true")]
        self.assertEqual(len(trues), 1, out)
        # nothing else: the python's thread is not a process of the tree
        self.assertEqual(set(t), {root, sleep, false, killed, py, trues[0]}, out)
        # the root first, then its children in pid order, the last one with `-
        lines = out.splitlines()[1:]
        self.assertEqual([int(line.split()[0]) for line in lines],
                         [root] + sorted(set(t) - {root}), out)
        self.assertIn("`- ", lines[-1])
        self.assertTrue(all("|- " in line for line in lines[1:-1]), out)

    def test_duration_mode_sees_other_processes(self):
        tool = subprocess.Popen([sys.executable, PROCTREE, "-d", "1"], env=env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        ready = tool.stderr.readline()  # once attached
        self.assertIn("tracing", ready)
        marker = subprocess.run(["/bin/sh", "-c", "/bin/true; echo $$; exit 4"],
                                capture_output=True, text=True)
        out, err = tool.communicate(timeout=60)
        self.assertEqual(tool.returncode, 0, ready + err)
        sh = int(marker.stdout)
        t = tree(out)
        # a top of its own (this process forked nothing else while traced)
        self.assertEqual(t[sh], (os.getpid(), "4", 0, "sh"), out)
        self.assertEqual([v for v in t.values() if v[0] == sh], [(sh, "0", 1, "true")], out)


class TestExamplesLoad(unittest.TestCase):
    def test_every_mcpu_and_opt(self):
        for name in (OPENSNOOP, PROCTREE):
            with open(name, "rb") as f:
                src = f.read()
            for mcpu in ("v1", "v2", "v3", "v4"):
                for opt in (0, 1, 2, 3):
                    with self.subTest(example=os.path.basename(name), mcpu=mcpu, opt=opt):
                        obj = pybpf.oneshot.compile_source(src, name, opt=opt, mcpu=mcpu)
                        with pybpf.load(obj) as o:
                            self.assertGreater(len(o.programs), 1)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("SKIP: needs root (loads BPF programs into the kernel)")
        sys.exit(0)
    unittest.main(verbosity=2)
