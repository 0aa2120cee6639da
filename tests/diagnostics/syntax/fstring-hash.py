# ERROR@2 "f-string expression part cannot include '#'"
x = f'{a#}'
