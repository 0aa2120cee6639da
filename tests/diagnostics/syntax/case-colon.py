# ERROR@3 "expected ':'"
match x:
    case 1
        pass
