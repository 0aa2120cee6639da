# shared.rel.vals: imports its package and a sibling of the package.
from . import R0
from ..base import BASE

V = R0 * 2  # 10
FROM_BASE = BASE  # shared/base.py's
