# ERROR@2 "f-string: expecting '\}'"
x = f"{a"
