# Match statements with every kind of pattern.
match command.split():
    case [action]:
        pass
    case [action, obj]:
        pass
    case Point(x=0, y=0):
        print("Origin")
    case Point(1, y=2) | Point(3, 4):
        pass
    case [Point(x=0, y=0), *rest]:
        pass
    case {"x": x, "y": y, **rest}:
        pass
    case {1: _, "a": [1, 2], a.b: c}:
        pass
    case {}:
        pass
    case {**rest}:
        pass
    case (1 | 2 | 3) as n:
        pass
    case -1 | 1.5 | -2j | 1 + 2j | -1 - 2j | "s" "t" | b"b":
        pass
    case None | True | False:
        pass
    case a.b.c:
        pass
    case _:
        pass
    case [*_]:
        pass
    case (a, b, *c):
        pass
    case ():
        pass
    case []:
        pass
    case (a,):
        pass
    case a, b:
        pass
    case x if x > 0:
        pass
    case str() | bytes():
        pass
    case A(b, c,):
        pass
    case A(b=c,):
        pass
match x,:
    case _: pass
match *a, b:
    case _: pass
match = 1
match.x = 2
match(x)
case = 3
_ = 4
print(match, case, _)
match x:
    case {"a": 1,}:
        pass
