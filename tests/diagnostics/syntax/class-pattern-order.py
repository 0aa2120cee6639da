# ERROR@3 "positional patterns follow keyword patterns"
match x:
    case A(a=1, b):
        pass
