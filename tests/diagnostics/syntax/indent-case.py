# ERROR@4 "expected an indented block after 'case' statement on line 3"
match x:
    case 1:
    pass
