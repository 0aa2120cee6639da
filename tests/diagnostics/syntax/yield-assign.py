# ERROR@3 "assignment to yield expression not possible"
def f():
    yield x = 1
