# Layout: indentation, continuation lines, comments, blank lines.
if x:   # comment
    # comment only line

    y = 1 + \
        2
    z = (1,
         2,   # comment inside brackets
         3)
	# tab-indented comment line
    w = [
        1,
    ]
x = {
    'a': 1,
}
def f(
    a,
    b,
):
    return \
        a
class K: x = 1; y = 2
if a: pass
elif b: pass
else: pass
while 0: pass
for x in y: pass
with a: pass
try: pass
except: pass
x = 1  # trailing comment
if t:
	a = 1
	if z:
	    b = 2
	c = 3
