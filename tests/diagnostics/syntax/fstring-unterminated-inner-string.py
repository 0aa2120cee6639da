# ERROR@2 "f-string: unterminated string"
x = f'{"a}'
