# ERROR@2 "expected comma between / and \*"
def f(a, /*):
    pass
