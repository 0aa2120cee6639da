"""pybpf: write eBPF programs in Python, compile them to BPF objects, load them.

The loader API (``load``, ``BpfObject``, ``BpfMap``, ...) is in ``_loader``;
the BPF dialect (decorators, map classes, helper names) in ``dialect``; the
one-shot ``compile()`` and ``BPF()`` in ``oneshot``.
"""

import importlib.util as _ilu

if _ilu.find_spec(__name__ + "._loader") is not None:
    from ._loader import *  # noqa: F401,F403
    from ._loader import __all__ as _loader_all
else:
    _loader_all = []

if _ilu.find_spec(__name__ + ".dialect") is not None:
    from .dialect import *  # noqa: F401,F403
if _ilu.find_spec(__name__ + ".oneshot") is not None:
    from .oneshot import compile, BPF  # noqa: F401

del _ilu
