"""pythonbpf compatibility: the same package as pybpf under pythonbpf's name.

Programs written for pythonbpf import ``pythonbpf``, ``pythonbpf.maps`` and
``pythonbpf.helper`` (or ``helpers``); these modules re-export pybpf's.
Only trace_fields() and trace_pipe() differ from pybpf's, with pythonbpf's
meaning: one parsed line per call, and printing until Ctrl-C.
"""

import pybpf as _pybpf
from pybpf import *  # noqa: F401,F403
from pybpf import bpf, map, section, bpfglobal, struct, compile, BPF  # noqa: F401
from pybpf.oneshot import compile_to_ir  # noqa: F401


_fields = None


def trace_fields():
    """pythonbpf's trace_fields(): the next trace_pipe line, parsed, as
    (task, pid, cpu, flags, ts, msg)."""
    global _fields
    if _fields is None:
        _fields = _pybpf.trace_fields()
    return next(_fields)


def trace_pipe():
    """pythonbpf's trace_pipe(): prints the trace_pipe lines until Ctrl-C."""
    try:
        for line in _pybpf.trace_pipe():
            print(line, flush=True)
    except KeyboardInterrupt:
        print("Tracing stopped.")


def __getattr__(name):
    return getattr(_pybpf, name)
