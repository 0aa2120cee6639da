"""pythonbpf.helper: pybpf.helper under pythonbpf's name."""

from pybpf.helper import *  # noqa: F401,F403
from pybpf.helper import __all__  # noqa: F401
