# ERROR@3 "expected an indented block after 'try' statement on line 2"
try:
z
except:
  pass
