# ERROR@2 "'\(' was never closed"
foo(
x = = 1
