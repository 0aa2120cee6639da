f(a=1, b)  # ERROR "positional argument follows keyword argument"
