# ERROR@2 "cannot use a starred expression in a dictionary value"
x = {1: *a}
