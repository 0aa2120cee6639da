# ERROR@5 "expected an indented block after 'finally' statement on line 4"
try:
  z
finally:
pass
