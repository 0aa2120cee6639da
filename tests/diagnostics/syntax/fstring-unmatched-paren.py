# ERROR@2 "f-string: unmatched '\)'"
x = f'{a)}'
