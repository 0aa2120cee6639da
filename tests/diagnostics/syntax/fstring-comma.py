# ERROR@2 "f-string: invalid syntax\. Perhaps you forgot a comma\?"
x = f"{a b}"
