"""pythonbpf.helpers: pybpf.helpers under pythonbpf's name."""

from pybpf.helpers import *  # noqa: F401,F403
from pybpf.helpers import __all__  # noqa: F401
