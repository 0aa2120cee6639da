# ERROR@2 "expected ':'"
match x
    case 1:
        pass
