# ERROR@2 "cannot assign to literal"
with a as 1:
    pass
