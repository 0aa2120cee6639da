"""pythonbpf compatibility: the same package as pybpf under pythonbpf's name.

Programs written for pythonbpf import ``pythonbpf``, ``pythonbpf.maps`` and
``pythonbpf.helper`` (or ``helpers``); these modules re-export pybpf's.
"""

import pybpf as _pybpf
from pybpf import *  # noqa: F401,F403
from pybpf import bpf, map, section, bpfglobal, struct, compile, BPF  # noqa: F401
from pybpf.oneshot import compile_to_ir  # noqa: F401


def __getattr__(name):
    return getattr(_pybpf, name)
