"""Shared helpers of the Python package tests."""

import os
import sys
import unittest

BPF_DIR = os.environ.get("PYBPF_TEST_BPF_DIR", "")
TEST_OBJ = os.path.join(BPF_DIR, "py_test.bpf.o")
REJECT_OBJ = os.path.join(BPF_DIR, "py_reject.bpf.o")
UPROBE_TARGET = os.environ.get("PYBPF_UPROBE_TARGET", "")


def require_root():
    """Exits the test file with "SKIP: ..." (ctest's skip marker) when not root."""
    if os.geteuid() != 0:
        print("SKIP: needs root (loads BPF programs into the kernel)")
        sys.exit(0)


def open_test_object(**globals_):
    """py_test.bpf.o opened, its globals set (target_pid defaults to us), loaded."""
    import pybpf
    obj = pybpf.open(TEST_OBJ)
    obj.globals.target_pid = globals_.pop("target_pid", os.getpid())
    for k, v in globals_.items():
        setattr(obj.globals, k, v)
    obj.load()
    return obj


def main():
    unittest.main(verbosity=2)
