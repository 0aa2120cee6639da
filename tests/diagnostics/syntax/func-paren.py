# ERROR@2 "Function parameters cannot be parenthesized"
def f((a)): pass
