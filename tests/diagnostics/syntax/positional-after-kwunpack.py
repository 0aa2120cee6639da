# ERROR@2 "positional argument follows keyword argument unpacking"
f(**a, b)
