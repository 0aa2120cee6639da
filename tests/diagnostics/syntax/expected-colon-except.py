# ERROR@4 "expected ':'"
try:
    pass
except ValueError
    pass
