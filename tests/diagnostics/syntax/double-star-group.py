# ERROR@2 "cannot use double starred expression here"
x = (**a)
