# ERROR@3 "real number required in complex literal"
match x:
    case 1j + 2j:
        pass
