"""pythonbpf's older spelling of pybpf.helper."""

from .helper import *  # noqa: F401,F403
from .helper import __all__  # noqa: F401
