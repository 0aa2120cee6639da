# ERROR@3 "invalid syntax"
@dec
x = 1
