"""pythonbpf.maps: pybpf.maps under pythonbpf's name."""

from pybpf.maps import *  # noqa: F401,F403
from pybpf.maps import __all__  # noqa: F401
