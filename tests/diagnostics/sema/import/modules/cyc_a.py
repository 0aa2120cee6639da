# cyc_a imports cyc_b, which imports cyc_a.
from cyc_b import B
A = B + 1
