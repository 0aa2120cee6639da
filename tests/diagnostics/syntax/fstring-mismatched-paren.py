# ERROR@2 "f-string: closing parenthesis '\]' does not match opening parenthesis '\('"
x = f'{a(]}'
