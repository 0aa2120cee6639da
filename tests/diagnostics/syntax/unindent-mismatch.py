# ERROR@4 "unindent does not match any outer indentation level"
if x:
    y
  z
