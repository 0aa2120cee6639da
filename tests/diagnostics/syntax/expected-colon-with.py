# ERROR@2 "expected ':'"
with a as b
    pass
