# ERROR@2 "invalid decimal literal"
x = 0note0
