# Relative imports that name nothing (import/relative-errors.py).
from .missing import VALUE
from ... import nothing_here
from .. import BASE, BAES
