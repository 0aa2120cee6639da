# ERROR@2 "expression expected after dictionary key and ':'"
x = {1:}
