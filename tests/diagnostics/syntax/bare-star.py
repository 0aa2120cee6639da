# ERROR@2 "named arguments must follow bare \*"
def f(*):
    pass
