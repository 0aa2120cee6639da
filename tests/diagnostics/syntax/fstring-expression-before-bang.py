# ERROR@2 "f-string: expression required before '!'"
x = f'{!r}'
