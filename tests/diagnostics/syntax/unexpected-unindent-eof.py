# ERROR@5 "unindent does not match any outer indentation level"
for x in y:
    if x:
        pass
  z = 1
