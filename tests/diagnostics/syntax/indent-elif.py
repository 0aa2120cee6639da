# ERROR@5 "expected an indented block after 'elif' statement on line 4"
if x:
  y
elif z:
pass
