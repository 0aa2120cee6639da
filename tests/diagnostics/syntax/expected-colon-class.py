# ERROR@2 "expected ':'"
class A
    pass
