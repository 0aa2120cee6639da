# ERROR@5 "expected an indented block after 'except' statement on line 4"
try:
  z
except E:
pass
