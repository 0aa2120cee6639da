# ERROR@2 "did you forget parentheses around the comprehension target\?"
x = [a, b for a, b in c]
