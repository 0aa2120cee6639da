# ERROR@2 "Lambda expression parameters cannot be parenthesized"
lambda (a): 0
