# ERROR@3 "invalid syntax"
match x:
    case a as b.c:
        pass
