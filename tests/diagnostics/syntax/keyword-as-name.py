# ERROR@2 "invalid syntax"
class = 1
