"""Packet parsing against the kernel (root): examples/xdp_port_counter.py
(XDP) and tests/kernel/packet/tc_udp.py (tc ingress) are compiled, loaded
and attached to one end of a veth pair whose other end is in a network
namespace the test creates; UDP datagrams sent from the namespace to two
ports reach a socket here, except those to port 9999, which the programs
drop. The datagrams received and the per-port counts in the programs' maps
are checked. The namespace and the veth pair are removed, also when a check
fails.
"""

import os
import socket
import subprocess
import sys
import time
import unittest

from pytest_common import main, require_root

require_root()

import pybpf  # noqa: E402
import pybpf.oneshot  # noqa: E402

SOURCE = os.environ.get("PYBPF_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
HOST, PEER = "10.251.97.1", "10.251.97.2"
PASS_PORT, DROP_PORT = 42437, 9999


def sh(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args), r.stderr.strip()))
    return r.stdout


def compile_file(path):
    with open(path, "rb") as f:
        return pybpf.oneshot.compile_source(f.read(), path)


class PacketVethTest(unittest.TestCase):
    """A veth pair: pbpka<id> here, pbpkb<id> in netns pbpkn<id>."""

    def setUp(self):
        tag = os.getpid() % 100000
        self.ns, self.a, self.b = "pbpkn%d" % tag, "pbpka%d" % tag, "pbpkb%d" % tag
        self.net_down()
        self.addCleanup(self.net_down)
        sh("ip", "netns", "add", self.ns)
        sh("ip", "link", "add", self.a, "type", "veth", "peer", "name", self.b)
        sh("ip", "link", "set", self.b, "netns", self.ns)
        sh("ip", "addr", "add", HOST + "/24", "dev", self.a)
        sh("ip", "link", "set", self.a, "up")
        sh("ip", "-n", self.ns, "addr", "add", PEER + "/24", "dev", self.b)
        sh("ip", "-n", self.ns, "link", "set", self.b, "up")
        sh("ip", "-n", self.ns, "link", "set", "lo", "up")
        self.socks = {}
        for port in (PASS_PORT, DROP_PORT):
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.addCleanup(s.close)
            s.bind((HOST, port))
            s.settimeout(0.2)
            self.socks[port] = s

    def net_down(self):
        subprocess.run(["ip", "netns", "del", self.ns], capture_output=True)
        subprocess.run(["ip", "link", "del", self.a], capture_output=True)

    def send(self, n, port):
        code = ("import socket, time\n"
                "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
                "for _ in range(%d):\n"
                "    s.sendto(b'pybpf', ('%s', %d)); time.sleep(0.002)\n" % (n, HOST, port))
        sh("ip", "netns", "exec", self.ns, sys.executable, "-c", code)

    def received(self, port):
        got = 0
        try:
            while self.socks[port].recv(16) == b"pybpf":
                got += 1
        except socket.timeout:
            pass
        return got

    def count(self, m, port, want, timeout=2.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if m[port] >= want:
                    break
            except KeyError:
                pass
            time.sleep(0.02)
        try:
            return m[port]
        except KeyError:
            return 0

    def run_traffic(self, ports):
        self.send(5, PASS_PORT)
        self.send(3, DROP_PORT)
        self.assertEqual(self.received(PASS_PORT), 5)
        self.assertEqual(self.received(DROP_PORT), 0)
        self.assertEqual(self.count(ports, PASS_PORT, 5), 5)

    def test_xdp_example(self):
        obj = pybpf.load(compile_file(os.path.join(SOURCE, "examples", "xdp_port_counter.py")))
        self.addCleanup(obj.close)
        link = obj.programs["count_ports"].attach_xdp(self.a)
        self.addCleanup(link.destroy)
        ports = obj.maps["ports"]
        self.run_traffic(ports)
        self.assertEqual(self.count(ports, DROP_PORT, 3), 3)  # counted, then dropped
        link.destroy()
        self.send(2, DROP_PORT)
        self.assertEqual(self.received(DROP_PORT), 2)  # detached: delivered

    def test_tc_ingress(self):
        obj = pybpf.load(compile_file(os.path.join(SOURCE, "tests", "kernel", "packet",
                                                   "tc_udp.py")))
        self.addCleanup(obj.close)
        link = obj.programs["drop_port"].attach_tc(self.a, "ingress", 1, 1)
        self.addCleanup(link.destroy)
        ports = obj.maps["ports"]
        self.run_traffic(ports)
        with self.assertRaises(KeyError):  # dropped before it is counted
            ports[DROP_PORT]


if __name__ == "__main__":
    main()
