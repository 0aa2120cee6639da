# ERROR@2 "expected ':'"
if x
    pass
