# ERROR@2 "invalid decimal literal"
x = 1abc
