# ERROR@2 "invalid syntax"
global a,
