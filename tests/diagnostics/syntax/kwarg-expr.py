f(a.b=1)  # ERROR "expression cannot contain assignment, perhaps you meant "=="\?"
