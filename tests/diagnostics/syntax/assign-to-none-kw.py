# ERROR@2 "cannot assign to None"
f(None=1)
