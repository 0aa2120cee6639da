# ERROR@6 "cannot have both 'except' and 'except\*' on the same 'try'"
try:
  pass
except A:
  pass
except* B:
  pass
