# ERROR@2 "f-string: expressions nested too deeply"
x = f'{a:{b:{c}}}'
