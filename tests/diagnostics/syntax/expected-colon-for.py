# ERROR@2 "expected ':'"
for x in y
    pass
