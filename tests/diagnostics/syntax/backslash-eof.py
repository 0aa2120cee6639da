# ERROR@3 "unexpected EOF while parsing"
x = 1
\