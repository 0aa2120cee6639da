# ERROR@3 "expected an indented block after 'with' statement on line 2"
with x:
z
