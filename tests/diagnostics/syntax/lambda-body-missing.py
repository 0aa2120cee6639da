# ERROR@2 "invalid syntax"
f = lambda x:
