# ERROR@4 "expected ':'"
if a:
  pass
elif b
  pass
