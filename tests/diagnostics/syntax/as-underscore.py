# ERROR@3 "cannot use '_' as a target"
match x:
    case a as _:
        pass
