# ERROR@2 "cannot use starred expression here"
x = (*a)
