# ERROR@4 "inconsistent use of tabs and spaces in indentation"
if x:
    a
	b
