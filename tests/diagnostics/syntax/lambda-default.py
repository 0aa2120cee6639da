# ERROR@2 "non-default argument follows default argument"
lambda a=1, b: 0
