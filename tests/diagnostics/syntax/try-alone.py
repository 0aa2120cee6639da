# ERROR@4 "expected 'except' or 'finally' block"
try:
  pass
x = 1
