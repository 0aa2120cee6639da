# ERROR@3 "expected an indented block after 'while' statement on line 2"
while x:
z
