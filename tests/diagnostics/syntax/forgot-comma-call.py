# ERROR@2 "invalid syntax\. Perhaps you forgot a comma\?"
f(a b)
