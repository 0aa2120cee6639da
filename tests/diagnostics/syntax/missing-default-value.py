# ERROR@2 "expected default value expression"
def f(a=): pass
