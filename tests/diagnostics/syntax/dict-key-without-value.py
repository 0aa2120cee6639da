# ERROR@2 "':' expected after dictionary key"
x = {1: 2, 3}
