#!/usr/bin/env python3
"""runtime_bench.py - the loader runtime, measured against the alternatives.

Three measures, each side by side in the same run (root needed):

  maps   map operations per second from Python on a BPF hash map
         (u32 key -> u64 value): pybpf's BpfMap against a ctypes-over-libbpf
         baseline written here the way tinybpf works (one ctypes call into
         libbpf per element, ctypes objects for key and value), and bcc's
         table API when python3-bpfcc is installed. The raw cost of the
         bpf() system call, measured from C, is shown as the floor that no
         per-element API can beat.
  ring   ring buffer records per second delivered to a Python callback: an
         XDP program run with BPF_PROG_TEST_RUN writes N records into a
         16 MiB ring buffer, then the consumer drains it; pybpf's
         BpfRingBuffer against libbpf's ring_buffer driven through ctypes.
  start  time from starting `pybpf run prog.py` to the first event of an
         attached tracepoint program, against bpftrace running the same
         one-liner (the program prints on every getppid(), and the benchmark
         calls getppid() every 0.5 ms until the first line arrives).

Usage: python3 bench/runtime_bench.py --pybpf build/release/pybpf \
           --pythonpath build/release/python [--out report.md] [maps ring start]
Nothing is asserted: the report is the result.
"""
import argparse
import ctypes
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME_DIR = os.path.join(HERE, "runtime")

BPF_MAP_TYPE_HASH = 1


def compile_object(pybpf, name, tmp):
    """Compiles bench/runtime/NAME.py with the pybpf CLI; returns the object path."""
    out = os.path.join(tmp, name + ".bpf.o")
    subprocess.run([pybpf, "compile", os.path.join(RUNTIME_DIR, name + ".py"), "-o", out],
                   check=True)
    return out


def best_rate(fn, n, runs):
    """Operations per second of the fastest of `runs` calls of fn(n)."""
    best = None
    for _ in range(runs):
        t0 = time.perf_counter()
        fn(n)
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    return n / best


# ---- ctypes over libbpf: the baseline -------------------------------------

class CtypesLibbpf:
    """Per-element map access through ctypes calls into libbpf.so, as tinybpf does."""

    def __init__(self):
        self.lib = ctypes.CDLL("libbpf.so.1", use_errno=True)
        self.lib.bpf_map_update_elem.argtypes = [ctypes.c_int, ctypes.c_void_p,
                                                 ctypes.c_void_p, ctypes.c_uint64]
        self.lib.bpf_map_lookup_elem.argtypes = [ctypes.c_int, ctypes.c_void_p,
                                                 ctypes.c_void_p]
        self.lib.bpf_map_get_next_key.argtypes = [ctypes.c_int, ctypes.c_void_p,
                                                  ctypes.c_void_p]

    def update(self, fd, n):
        upd = self.lib.bpf_map_update_elem
        for i in range(n):
            k = ctypes.c_uint32(i)
            v = ctypes.c_uint64(i)
            if upd(fd, ctypes.byref(k), ctypes.byref(v), 0) != 0:
                raise OSError(ctypes.get_errno(), "update")

    def lookup(self, fd, n):
        lookup = self.lib.bpf_map_lookup_elem
        total = 0
        for i in range(n):
            k = ctypes.c_uint32(i)
            v = ctypes.c_uint64()
            if lookup(fd, ctypes.byref(k), ctypes.byref(v)) == 0:
                total += v.value
        return total

    def items(self, fd):
        next_key = self.lib.bpf_map_get_next_key
        lookup = self.lib.bpf_map_lookup_elem
        out = []
        prev = None
        k = ctypes.c_uint32()
        while next_key(fd, ctypes.byref(prev) if prev is not None else None,
                       ctypes.byref(k)) == 0:
            v = ctypes.c_uint64()
            if lookup(fd, ctypes.byref(k), ctypes.byref(v)) == 0:
                out.append((k.value, v.value))
            prev = ctypes.c_uint32(k.value)
        return out


SYSCALL_FLOOR_C = r"""
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
int main(int argc, char **argv)
{
	unsigned n = (unsigned)atoi(argv[1]);
	int fd = bpf_map_create(BPF_MAP_TYPE_HASH, NULL, 4, 8, n, NULL);
	double t0 = now();
	for (unsigned i = 0; i < n; i++) { unsigned long long v = i; bpf_map_update_elem(fd, &i, &v, 0); }
	double t1 = now();
	unsigned long long sum = 0;
	for (unsigned i = 0; i < n; i++) { unsigned long long v; if (!bpf_map_lookup_elem(fd, &i, &v)) sum += v; }
	double t2 = now();
	printf("%f %f %llu\n", n / (t1 - t0), n / (t2 - t1), sum);
	return 0;
}
"""


def syscall_floor(n, tmp):
    """(updates/s, lookups/s) of bpf() system calls made directly from C, or None."""
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    src = os.path.join(tmp, "floor.c")
    exe = os.path.join(tmp, "floor")
    with open(src, "w") as f:
        f.write(SYSCALL_FLOOR_C)
    if subprocess.run([cc, "-O2", src, "-o", exe, "-lbpf"]).returncode != 0:
        return None
    best_u = best_l = 0.0
    for _ in range(3):
        u, l_, _ = subprocess.run([exe, str(n)], capture_output=True, text=True,
                                  check=True).stdout.split()
        best_u, best_l = max(best_u, float(u)), max(best_l, float(l_))
    return best_u, best_l


def bench_maps(args, tmp, rows):
    import pybpf

    n = args.n
    obj = pybpf.load(compile_object(args.pybpf, "bench_maps", tmp))
    m = obj.maps["counts"]
    base = CtypesLibbpf()

    def py_update(count):
        for i in range(count):
            m[i] = i

    def py_lookup(count):
        total = 0
        for i in range(count):
            total += m[i]
        return total

    results = {}
    m.clear()
    results["update"] = (best_rate(py_update, n, args.runs),
                         best_rate(lambda c: base.update(m.fd, c), n, args.runs))
    results["lookup"] = (best_rate(py_lookup, n, args.runs),
                         best_rate(lambda c: base.lookup(m.fd, c), n, args.runs))
    assert len(list(m.items())) == n
    results["items() of a full map"] = (best_rate(lambda c: list(m.items()), n, args.runs),
                                        best_rate(lambda c: base.items(m.fd), n, args.runs))
    keys = list(range(n))
    vals = [i * 3 for i in range(n)]
    results["bulk update (update_batch)"] = (
        best_rate(lambda c: m.update_batch(keys, vals), n, args.runs),
        results["update"][1])
    # check that the bulk update really wrote the values
    assert m[n - 1] == (n - 1) * 3
    obj.close()

    bcc, bcc_why = bench_bcc_maps(n, args.runs)
    floor = syscall_floor(n, tmp)

    rows.append("## Map operations from Python (hash map, u32 -> u64, %d entries)\n" % n)
    rows.append("| operation | pybpf ops/s | ctypes+libbpf ops/s | pybpf / ctypes | bcc ops/s |")
    rows.append("|---|---:|---:|---:|---:|")
    for op, (ours, theirs) in results.items():
        b = bcc.get(op) if bcc else None
        rows.append("| %s | %.0f | %.0f | %.1fx | %s |" % (
            op, ours, theirs, ours / theirs, "%.0f" % b if b else "-"))
    if bcc_why:
        rows.append("\nbcc: %s." % bcc_why)
    if floor:
        rows.append("\nFloor: the bpf() system call alone, from C: %.0f updates/s, "
                    "%.0f lookups/s." % floor)
    rows.append("")


def bench_bcc_maps(n, runs):
    """bcc's table API on the same kind of map, or None when bcc is missing."""
    try:
        import bcc
    except ImportError:
        # Debian's python3-bpfcc lives in the system interpreter's dist-packages
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import bcc
        except ImportError:
            return None, "bcc is not installed (Debian: python3-bpfcc)"

    try:
        b = bcc.BPF(text="BPF_HASH(counts, u32, u64, %d);" % max(n, 1))
    except Exception as e:  # bcc compiles C at run time and needs kernel headers
        return None, "bcc is installed but cannot compile here (%s)" % e
    t = b["counts"]
    K, V = t.Key, t.Leaf

    def upd(c):
        for i in range(c):
            t[K(i)] = V(i)

    def look(c):
        total = 0
        for i in range(c):
            total += t[K(i)].value
        return total

    out = {"update": best_rate(upd, n, runs), "lookup": best_rate(look, n, runs)}
    out["items() of a full map"] = best_rate(lambda c: list(t.items()), n, runs)
    b.cleanup()
    return out, None


# ---- ring buffer -----------------------------------------------------------

class TestRunOpts(ctypes.Structure):
    _fields_ = [("sz", ctypes.c_size_t), ("data_in", ctypes.c_void_p),
                ("data_out", ctypes.c_void_p), ("data_size_in", ctypes.c_uint32),
                ("data_size_out", ctypes.c_uint32), ("ctx_in", ctypes.c_void_p),
                ("ctx_out", ctypes.c_void_p), ("ctx_size_in", ctypes.c_uint32),
                ("ctx_size_out", ctypes.c_uint32), ("retval", ctypes.c_uint32),
                ("repeat", ctypes.c_int), ("duration", ctypes.c_uint32),
                ("flags", ctypes.c_uint32), ("cpu", ctypes.c_uint32),
                ("batch_size", ctypes.c_uint32)]


def run_program(lib, prog_fd, repeat):
    """Runs an XDP program `repeat` times on a 64-byte packet (BPF_PROG_TEST_RUN)."""
    pkt = ctypes.create_string_buffer(64)
    opts = TestRunOpts(sz=ctypes.sizeof(TestRunOpts), data_in=ctypes.addressof(pkt),
                       data_size_in=64, repeat=repeat)
    if lib.bpf_prog_test_run_opts(prog_fd, ctypes.byref(opts)) != 0:
        raise OSError(ctypes.get_errno(), "BPF_PROG_TEST_RUN")


RING_CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)


def bench_ring(args, tmp, rows):
    import pybpf

    n = args.ring_n
    lib = ctypes.CDLL("libbpf.so.1", use_errno=True)
    lib.ring_buffer__new.restype = ctypes.c_void_p
    lib.ring_buffer__new.argtypes = [ctypes.c_int, RING_CB, ctypes.c_void_p, ctypes.c_void_p]
    lib.ring_buffer__consume.argtypes = [ctypes.c_void_p]
    lib.ring_buffer__free.argtypes = [ctypes.c_void_p]
    lib.bpf_prog_test_run_opts.argtypes = [ctypes.c_int, ctypes.c_void_p]

    obj = pybpf.load(compile_object(args.pybpf, "bench_ring", tmp))
    prog_fd = obj.programs["produce"].fd
    ring = obj.maps["events"]

    ours, theirs = [], []
    for _ in range(args.runs):
        # pybpf: records decoded into Python objects, as users get them
        got = []
        rb = pybpf.BpfRingBuffer(ring, lambda ev: got.append(ev))
        run_program(lib, prog_fd, n)
        t0 = time.perf_counter()
        while len(got) < n:
            if rb.consume() == 0:
                break
        ours.append(len(got) / (time.perf_counter() - t0))
        if len(got) != n:
            raise RuntimeError("pybpf ring buffer delivered %d of %d" % (len(got), n))
        rb.close()

        # ctypes: libbpf's ring_buffer, each record copied to bytes
        count = [0]

        def on_record(ctx, data, size):
            ctypes.string_at(data, size)
            count[0] += 1
            return 0

        cb = RING_CB(on_record)
        crb = lib.ring_buffer__new(ring.fd, cb, None, None)
        run_program(lib, prog_fd, n)
        t0 = time.perf_counter()
        while count[0] < n:
            if lib.ring_buffer__consume(crb) <= 0:
                break
        theirs.append(count[0] / (time.perf_counter() - t0))
        lib.ring_buffer__free(crb)
        if count[0] != n:
            raise RuntimeError("ctypes ring buffer delivered %d of %d" % (count[0], n))
    obj.close()

    rows.append("## Ring buffer records delivered to a Python callback (%d records of 16 bytes)\n"
                % n)
    rows.append("| consumer | records/s (best of %d) |" % args.runs)
    rows.append("|---|---:|")
    rows.append("| pybpf BpfRingBuffer (records decoded from BTF) | %.0f |" % max(ours))
    rows.append("| libbpf ring_buffer through ctypes (bytes) | %.0f |" % max(theirs))
    rows.append("| ratio | %.1fx |" % (max(ours) / max(theirs)))
    rows.append("")


# ---- start-up time ---------------------------------------------------------

def time_to_first_event(cmd, marker, timeout=30.0):
    """Seconds from spawning cmd to the first stdout line containing marker,
    calling getppid() every 0.5 ms meanwhile (the traced system call)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = threading.Event()

    def trigger():
        while not seen.is_set() and time.perf_counter() - t0 < timeout:
            os.getppid()
            time.sleep(0.0005)

    th = threading.Thread(target=trigger)
    th.start()
    elapsed = None
    for line in proc.stdout:
        if marker in line:
            elapsed = time.perf_counter() - t0
            break
    seen.set()
    proc.send_signal(2)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    th.join()
    return elapsed


def bench_start(args, tmp, rows):
    prog = os.path.join(RUNTIME_DIR, "bench_start.py")
    ours = [time_to_first_event([args.pybpf, "run", prog], "hit") for _ in range(args.runs)]
    bpftrace = shutil.which("bpftrace")
    theirs = []
    if bpftrace:
        one_liner = 'tracepoint:syscalls:sys_enter_getppid { printf("hit\\n"); }'
        theirs = [time_to_first_event([bpftrace, "-e", one_liner], "hit")
                  for _ in range(args.runs)]
    rows.append("## Start-up: process start to the first event of an attached tracepoint\n")
    rows.append("| tool | median ms | best ms |")
    rows.append("|---|---:|---:|")
    ok = [t for t in ours if t is not None]
    rows.append("| pybpf run bench/runtime/bench_start.py | %.1f | %.1f |" % (
        statistics.median(ok) * 1e3, min(ok) * 1e3))
    if theirs:
        ok2 = [t for t in theirs if t is not None]
        rows.append("| bpftrace -e '...sys_enter_getppid { printf(...) }' | %.1f | %.1f |" % (
            statistics.median(ok2) * 1e3, min(ok2) * 1e3))
        rows.append("| ratio (bpftrace / pybpf, median) | %.1fx | |" % (
            statistics.median(ok2) / statistics.median(ok)))
    else:
        rows.append("| bpftrace | not installed | |")
    rows.append("")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pybpf", required=True, help="the pybpf CLI")
    ap.add_argument("--pythonpath", help="directory holding the pybpf Python package")
    ap.add_argument("--out", help="also write the report here")
    ap.add_argument("--n", type=int, default=100000, help="map elements")
    ap.add_argument("--ring-n", type=int, default=200000, help="ring buffer records")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("parts", nargs="*", default=["maps", "ring", "start"])
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("runtime_bench needs root (it loads BPF programs)")
        return 1
    if args.pythonpath:
        sys.path.insert(0, os.path.abspath(args.pythonpath))
    rows = ["# Runtime benchmark (%s)\n" % time.strftime("%Y-%m-%d")]
    with tempfile.TemporaryDirectory() as tmp:
        for part in args.parts:
            {"maps": bench_maps, "ring": bench_ring, "start": bench_start}[part](args, tmp, rows)
    report = "\n".join(rows)
    print(report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
