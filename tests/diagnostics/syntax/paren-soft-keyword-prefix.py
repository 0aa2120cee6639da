# ERROR@4 "^invalid syntax$"
# CPython 3.11 treats any prefix of a soft keyword ("c" of "case") as one
# here, so it does not suggest a missing comma.
x = (c d)
