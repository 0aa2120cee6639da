# ERROR@2 "expected 'else' after 'if' expression"
f(a if b)
