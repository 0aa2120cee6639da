# ERROR@2 "expected ':'"
while x
    pass
