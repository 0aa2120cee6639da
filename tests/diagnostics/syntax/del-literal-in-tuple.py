# ERROR@2 "cannot delete literal"
del a, 1
