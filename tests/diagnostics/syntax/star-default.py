# ERROR@2 "var-positional argument cannot have default value"
def f(*a=1): pass
