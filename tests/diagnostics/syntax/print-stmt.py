print "hi"  # ERROR "Missing parentheses in call to 'print'\. Did you mean print\(\.\.\.\)\?"
