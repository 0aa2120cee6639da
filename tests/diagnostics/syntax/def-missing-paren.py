# ERROR@2 "expected '\('"
def f:
    pass
