# ERROR@3 "expected an indented block after 'for' statement on line 2"
for x in y:
z
