# ERROR@2 "arguments cannot follow var-keyword argument"
def f(**k, a):
    pass
