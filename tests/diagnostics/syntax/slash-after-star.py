# ERROR@2 "/ must be ahead of \*"
def f(a, *, b, /):
    pass
