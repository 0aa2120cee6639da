# ERROR@5 "expected an indented block after 'else' statement on line 4"
if x:
  y
else:
pass
