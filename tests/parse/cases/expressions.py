# Expressions of every kind: operators, precedence, calls, subscripts.
a = 1 + 2 * 3 - 4 / 5 // 6 % 7 @ m ** -8 ** 2
b = (a << 2 >> 1) & 0xFF | 0o17 ^ 0b1010 | ~a
c = not a and b or not (c and d)
d = a < b <= c > d >= e == f != g in h not in i is j is not k
e = x if y else z if w else v
f = lambda: 0
g = lambda a, b=1, *args, c, d=2, **kw: (a, b, args, c, d, kw)
h = lambda a, /, b, *, c: a
i = lambda *, k=1: k
j = lambda a=1, /, b=2: a
k = f(a)(b)[c].d(*e, **f)
l = f(a, b=1, *c, d=2, **e, g=3)
m = f(x for x in y)
n = f(*a, *b, c, **d, **e)
o = a[1:2, ::3, 4:, :5, ...]
p = a[b][c:d:e][:, None]
q = a[*b]
r = a[1:2:]
s = (yield)
t = [1, 2, *rest, 3]
u = {1: 2, **d, 3: 4}
v = {1, 2, *s}
w = ()
x = (1,)
y = 1,
z = [*a, *b]
aa = -1 + +2 - ~3
bb = await_ = 3
cc = x[a := 1]
dd = [y := f(x), y**2]
ee = a.b.c.d
ff = 1_000_000 + 0x_FF + 1e10 + 1.5e-3 + .5 + 5. + 1j + 2.5J + 0_0 + 00
gg = 123456789012345678901234567890 * 0xFFFFFFFFFFFFFFFFFFFF
hh = 1e400, 0.1, 3.14159265358979323846, 1_0.0_1e1_0
ii = ...
jj = True, False, None
kk = a if b else (lambda: c)
ll = (a for b in c if d if e for f in g)
mm = [a async for b in c]
nn = {a: b for c, d in e}
oo = {a for b in c}
pp = f(a)(b)(c)
qq = not not not x
rr = - - - x
ss = a ** b ** c
tt = (a)
uu = ((a, b), [c, d])
vv = f(a,)
ww = f(a for a in b)(c)
xx = x[1, 2,]
yy = x[(1, 2)]
zz = print(*args, sep='', end='\n')
