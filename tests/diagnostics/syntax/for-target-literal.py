# ERROR@2 "cannot assign to literal"
for 1 in x:
    pass
