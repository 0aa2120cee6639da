"""Explicit attach of each kind from Python against the kernel (root):
uprobes and uretprobes (by symbol and by file offset) on uprobe_target,
XDP (BPF link, and netlink with XDP_FLAGS_SKB_MODE) and tc ingress on a
veth pair into a network namespace the test creates, with UDP traffic sent
through it, a socket filter, a cgroup program in a temporary cgroup v2
directory, a perf event (software cpu-clock), test_run on XDP. Every effect
is read from the program's counters (py_attach.bpf.c), and every link is
destroyed and the effect checked to stop. Everything the test creates
(netns, veth, cgroup) is removed, also when a check fails.
"""

import errno
import json
import os
import socket
import struct
import subprocess
import sys
import time
import unittest

from pytest_common import BPF_DIR, UPROBE_TARGET, main, require_root

require_root()

import pybpf  # noqa: E402

ATTACH_OBJ = os.path.join(BPF_DIR, "py_attach.bpf.o")
PORT = 42425
UP_ENTRY, UP_RETURN, XDP, TC, SOCK, CGROUP, SAMPLE = range(7)
PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK = 1, 0
XDP_PASS = 2


def sh(*args):
    """Runs a command; raises with its stderr when it fails."""
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def elf_func_offset(path, func):
    """The file offset of a function symbol (ELF64 little-endian), read here
    independently of libbpf: address - section address + section offset."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for _name, sh_type, _fl, _addr, off, size, link, _info, _al, entsize in secs:
        if sh_type != 2:  # SHT_SYMTAB
            continue
        stroff = secs[link][4]
        for i in range(size // entsize):
            st_name, st_info, _o, st_shndx, st_value, _s = struct.unpack_from(
                "<IBBHQQ", data, off + i * entsize)
            end = data.index(b"\0", stroff + st_name)
            if st_info & 0xF == 2 and data[stroff + st_name:end] == func.encode():
                s = secs[st_shndx]
                return st_value - s[3] + s[4]
    return 0


def run_target(n):
    """Runs uprobe_target: n calls of pybpf_target_add; checks its output."""
    r = subprocess.run([UPROBE_TARGET, str(n)], input="go\n", capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0 and r.stdout.split() == ["ready", str(n)], r


def settle(m, key, want, timeout=2.0):
    """m[key] once it reaches want (or after timeout): packets take a moment."""
    deadline = time.monotonic() + timeout
    while m[key] < want and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.05)  # and nothing more arrives
    return m[key]


def spin_cpu(ms):
    """Burns ms of this thread's CPU time (what cpu-clock counts); at most 5 s."""
    end, deadline = time.thread_time() + ms / 1000, time.monotonic() + 5
    x = 0
    while time.thread_time() < end and time.monotonic() < deadline:
        for _ in range(1000):
            x += 1


def xdp_prog_ids(ifname):
    """{mode: prog id} of the XDP programs on an interface, from iproute2."""
    info = json.loads(sh("ip", "-d", "-j", "link", "show", "dev", ifname))[0]
    xdp = info.get("xdp") or {}
    out = {}
    if "prog" in xdp:
        out[xdp.get("mode")] = xdp["prog"]["id"]
    for a in xdp.get("attached", []):
        if "prog" in a:
            out[a.get("mode")] = a["prog"]["id"]
    return out


def cgroup2_root():
    with open("/proc/mounts") as f:
        for line in f:
            dev, mnt, fstype = line.split()[:3]
            if fstype == "cgroup2":
                return mnt
    return None


class AttachTest(unittest.TestCase):
    def setUp(self):
        self.obj = pybpf.load(ATTACH_OBJ)
        self.addCleanup(self.obj.close)
        self.hits = self.obj.maps["hits"]
        self.cfg = self.obj.maps["cfg"]
        self.cfg[0] = PORT

    def link(self, link):
        """Destroys the link at cleanup (destroy() is idempotent)."""
        self.addCleanup(link.destroy)
        return link


class UprobeTests(AttachTest):
    def test_by_symbol(self):
        entry = self.link(self.obj.programs["up_entry"].attach_uprobe(
            UPROBE_TARGET, "pybpf_target_add"))
        ret = self.link(self.obj.programs["up_return"].attach_uretprobe(
            UPROBE_TARGET, symbol="pybpf_target_add"))
        run_target(7)
        self.assertEqual((self.hits[UP_ENTRY], self.hits[UP_RETURN]), (7, 7))
        entry.destroy()
        run_target(3)
        self.assertEqual((self.hits[UP_ENTRY], self.hits[UP_RETURN]), (7, 10))
        ret.destroy()
        self.assertTrue(ret.destroyed)
        run_target(2)
        self.assertEqual((self.hits[UP_ENTRY], self.hits[UP_RETURN]), (7, 10))

    def test_by_offset(self):
        off = elf_func_offset(UPROBE_TARGET, "pybpf_target_add")
        self.assertGreater(off, 0)
        entry = self.link(self.obj.programs["up_entry"].attach_uprobe(UPROBE_TARGET, off))
        ret = self.link(self.obj.programs["up_return"].attach_uretprobe(UPROBE_TARGET, off))
        run_target(4)
        self.assertEqual((self.hits[UP_ENTRY], self.hits[UP_RETURN]), (4, 4))
        entry.destroy()
        ret.destroy()
        run_target(2)
        self.assertEqual((self.hits[UP_ENTRY], self.hits[UP_RETURN]), (4, 4))
        # for one process only: this one, which never calls the function
        self.link(self.obj.programs["up_entry"].attach_uprobe(UPROBE_TARGET, off,
                                                              pid=os.getpid()))
        run_target(3)
        self.assertEqual(self.hits[UP_ENTRY], 4)

    def test_errors(self):
        with self.assertRaises(pybpf.BpfError) as cm:
            self.obj.programs["up_entry"].attach_uprobe(UPROBE_TARGET, "pybpf_no_such_func")
        self.assertEqual(cm.exception.errno, errno.ENOENT)
        with self.assertRaises(pybpf.BpfError) as cm:
            self.obj.programs["up_entry"].attach_uprobe("/nonexistent/pybpf-bin", "main")
        self.assertEqual(cm.exception.errno, errno.ENOENT)
        with self.assertRaises(ValueError):
            self.obj.programs["up_entry"].attach_uprobe(UPROBE_TARGET, -1)

    def test_usdt_without_support(self):
        # No USDT attach success here: uprobe_target has no USDT probe
        # (tests/python builds without <sys/sdt.h>); libbpf refuses a
        # program whose object lacks usdt.bpf.h's maps with ESRCH
        with self.assertRaises(pybpf.BpfError) as cm:
            self.obj.programs["up_entry"].attach_usdt(UPROBE_TARGET, "pybpf", "tick")
        self.assertEqual(cm.exception.errno, errno.ESRCH)


class NetTests(AttachTest):
    """A veth pair: pbt5pa<id> here, pbt5pb<id> in netns pbt5pn<id>."""

    def setUp(self):
        super().setUp()
        tag = os.getpid() % 100000
        self.ns, self.a, self.b = "pbt5pn%d" % tag, "pbt5pa%d" % tag, "pbt5pb%d" % tag
        self.net_down()  # leftovers of an earlier run with the same pid
        self.addCleanup(self.net_down)
        sh("ip", "netns", "add", self.ns)
        sh("ip", "link", "add", self.a, "type", "veth", "peer", "name", self.b)
        sh("ip", "link", "set", self.b, "netns", self.ns)
        sh("ip", "addr", "add", "10.251.95.1/24", "dev", self.a)
        sh("ip", "link", "set", self.a, "up")
        sh("ip", "-n", self.ns, "addr", "add", "10.251.95.2/24", "dev", self.b)
        sh("ip", "-n", self.ns, "link", "set", self.b, "up")
        sh("ip", "-n", self.ns, "link", "set", "lo", "up")
        self.ifindex = socket.if_nametoindex(self.a)

    def net_down(self):
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)
        subprocess.run(["ip", "link", "del", self.a], capture_output=True)

    def send(self, n, port=PORT):
        """n UDP packets from inside the netns to 10.251.95.1:port (b -> a)."""
        code = ("import socket, time\n"
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                "for _ in range(%d):\n"
                "    s.sendto(b'pybpf', ('10.251.95.1', %d)); time.sleep(0.002)\n" % (n, port))
        sh("ip", "netns", "exec", self.ns, sys.executable, "-c", code)

    def test_xdp_link(self):
        prog = self.obj.programs["xdp_count"]
        link = self.link(prog.attach_xdp(self.a))  # by name
        self.assertGreaterEqual(link.fd, 0)  # a BPF link
        self.assertIn(prog.info.id, xdp_prog_ids(self.a).values())
        self.send(5)
        self.assertEqual(settle(self.hits, XDP, 5), 5)
        self.send(2, port=PORT + 1)  # another port: not counted
        self.assertEqual(settle(self.hits, XDP, 6, timeout=0.3), 5)
        link.destroy()
        self.assertEqual(xdp_prog_ids(self.a), {})
        self.send(2)
        self.assertEqual(settle(self.hits, XDP, 6, timeout=0.3), 5)

    def test_xdp_skb_mode(self):
        prog = self.obj.programs["xdp_count"]
        link = self.link(prog.attach_xdp(self.ifindex, pybpf.XDP_FLAGS_SKB_MODE))
        self.assertEqual(xdp_prog_ids(self.a), {2: prog.info.id})  # XDP_ATTACHED_SKB
        self.assertLess(link.fd, 0)  # netlink: no BPF link
        self.send(4)
        self.assertEqual(settle(self.hits, XDP, 4), 4)
        # the interface is taken: UPDATE_IF_NOEXIST refuses
        with self.assertRaises(pybpf.BpfError) as cm:
            prog.attach_xdp(self.a, pybpf.XDP_FLAGS_SKB_MODE | pybpf.XDP_FLAGS_UPDATE_IF_NOEXIST)
        self.assertEqual(cm.exception.errno, errno.EBUSY)
        link.destroy()
        self.assertEqual(xdp_prog_ids(self.a), {})
        self.send(2)
        self.assertEqual(settle(self.hits, XDP, 5, timeout=0.3), 4)

    def test_tc_ingress(self):
        link = self.link(self.obj.programs["tc_count"].attach_tc(self.a, "ingress", 1, 1))
        filters = sh("tc", "filter", "show", "dev", self.a, "ingress")
        self.assertIn("tc_count", filters)
        self.send(3)
        self.assertEqual(settle(self.hits, TC, 3), 3)
        link.destroy()
        self.assertNotIn("tc_count", sh("tc", "filter", "show", "dev", self.a, "ingress"))
        self.send(2)
        self.assertEqual(settle(self.hits, TC, 4, timeout=0.3), 3)
        with self.assertRaises(ValueError):
            self.obj.programs["tc_count"].attach_tc(self.a, "sideways")


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    s.settimeout(0.1)
    return s


def exchange(tx, rx, n):
    """Sends n datagrams from tx to rx; how many rx receives."""
    for _ in range(n):
        tx.sendto(b"pybpf", rx.getsockname())
    got = 0
    try:
        while rx.recv(16) == b"pybpf":
            got += 1
    except socket.timeout:
        pass
    return got


class SocketCgroupPerfTests(AttachTest):
    def test_socket_filter(self):
        rx, tx = udp_socket(), udp_socket()
        self.addCleanup(rx.close)
        self.addCleanup(tx.close)
        link = self.link(self.obj.programs["sock_count"].attach_socket(rx))
        self.assertEqual(exchange(tx, rx, 3), 3)
        self.assertEqual(self.hits[SOCK], 3)
        self.cfg[1] = 1  # the filter decides: now it drops
        self.assertEqual(exchange(tx, rx, 2), 0)
        self.assertEqual(self.hits[SOCK], 5)
        link.destroy()  # detached: everything arrives, nothing is counted
        self.assertEqual(exchange(tx, rx, 2), 2)
        self.assertEqual(self.hits[SOCK], 5)
        # by fd too
        link = self.link(self.obj.programs["sock_count"].attach_socket(rx.fileno()))
        self.assertEqual(exchange(tx, rx, 1), 0)
        self.assertEqual(self.hits[SOCK], 6)
        link.destroy()
        with open("/dev/null") as f, self.assertRaises(pybpf.BpfError) as cm:
            self.obj.programs["sock_count"].attach_socket(f)
        self.assertEqual(cm.exception.errno, errno.ENOTSOCK)

    def sockets_in(self, d):
        """A child moves itself into cgroup d and creates 3 sockets; exit
        status 0: all created, 1: all refused with EPERM, 2: mixed."""
        code = ("import errno, socket, sys\n"
                "open(%r + '/cgroup.procs', 'w').write('0')\n"
                "ok = eperm = 0\n"
                "for _ in range(3):\n"
                "    try:\n"
                "        socket.socket(socket.AF_INET, socket.SOCK_DGRAM).close(); ok += 1\n"
                "    except PermissionError:\n"
                "        eperm += 1\n"
                "sys.exit(0 if ok == 3 else 1 if eperm == 3 else 2)\n" % d)
        return subprocess.run([sys.executable, "-c", code], timeout=30).returncode

    def test_cgroup(self):
        root = cgroup2_root()
        if not root:
            self.skipTest("no cgroup v2 mounted")
        d = os.path.join(root, "pbt5p_%d" % os.getpid())
        os.mkdir(d)
        self.addCleanup(os.rmdir, d)  # after the link is gone (cleanups run LIFO)
        link = self.link(self.obj.programs["sock_create"].attach_cgroup(d))
        self.assertGreaterEqual(link.fd, 0)
        self.assertEqual(self.sockets_in(d), 0)
        self.assertEqual(self.hits[CGROUP], 3)
        self.cfg[2] = 1  # the program decides: now it refuses
        self.assertEqual(self.sockets_in(d), 1)
        self.assertEqual(self.hits[CGROUP], 6)
        link.destroy()
        self.assertEqual(self.sockets_in(d), 0)
        self.assertEqual(self.hits[CGROUP], 6)
        # by fd
        fd = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
        self.addCleanup(os.close, fd)
        link = self.link(self.obj.programs["sock_create"].attach_cgroup(fd))
        self.assertEqual(self.sockets_in(d), 1)
        self.assertEqual(self.hits[CGROUP], 9)
        link.destroy()
        with self.assertRaises(pybpf.BpfError) as cm:
            self.obj.programs["sock_create"].attach_cgroup(-1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)

    def test_perf_event(self):
        # this thread, any CPU, a sample every millisecond of CPU time
        fd = pybpf.perf_event_open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 1000000,
                                   cpu=-1, pid=0)
        try:
            link = self.link(self.obj.programs["on_sample"].attach_perf_event(fd))
        finally:
            os.close(fd)  # the link has its own copy
        spin_cpu(100)
        self.assertGreaterEqual(self.hits[SAMPLE], 10)
        link.destroy()
        self.hits[SAMPLE] = 0
        spin_cpu(30)
        self.assertEqual(self.hits[SAMPLE], 0)
        with self.assertRaises(pybpf.BpfError):
            pybpf.perf_event_open(0x7FFF, 0, 1)
        with self.assertRaises(pybpf.BpfError) as cm:
            self.obj.programs["on_sample"].attach_perf_event(-1)
        self.assertEqual(cm.exception.errno, errno.EINVAL)


def udp_packet(dport):
    """Ethernet + IPv4 + UDP to dport with 4 bytes of payload (checksums 0)."""
    eth = b"\0" * 12 + b"\x08\x00"
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + 8 + 4, 0, 0, 64, 17, 0,
                     bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
    udp = struct.pack("!HHHH", 12345, dport, 8 + 4, 0)
    return eth + ip + udp + b"pybp"


class TestRunTests(AttachTest):
    def test_xdp_test_run(self):
        prog = self.obj.programs["xdp_count"]
        pkt = udp_packet(PORT)
        retval, data_out, ctx_out, duration = prog.test_run(data=pkt, repeat=10)
        self.assertEqual(retval, XDP_PASS)
        self.assertEqual(data_out, pkt)
        self.assertEqual(ctx_out, b"")
        self.assertIsInstance(duration, int)
        self.assertEqual(self.hits[XDP], 10)
        retval, _, _, _ = prog.test_run(data=udp_packet(PORT + 1))  # not counted
        self.assertEqual((retval, self.hits[XDP]), (XDP_PASS, 10))
        with self.assertRaises(pybpf.BpfError) as cm:  # shorter than Ethernet
            prog.test_run(data=b"abcd")
        self.assertEqual(cm.exception.errno, errno.EINVAL)
        self.assertEqual(self.hits[XDP], 10)


if __name__ == "__main__":
    main()
