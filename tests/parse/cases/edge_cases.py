# Less common but valid syntax: walrus, soft keywords, odd literals and layout.
@(x := dec)
@a.b[c](d)
async def f(a=lambda: (yield), *, b: "str" = 1) -> "ret":
    return *a, b
def g():
    x = 1
    def h():
        nonlocal x
        x += 1
    return h
if (n := 10) > 5:
    print(f"{n=}", end="")
a[b := 1] = 2
x = *a,
for x, in y: pass
with (a, b) as c: pass
result = [y async for x in aiter() if (y := await f(x))]
s = {(y := f(x)) for x in z if y}
d = {**a, 'b': 1, **c,}
a @= b
del (a), b
assert (x, y)
raise X from Y
import a.b as c
from ..... import y
from .... import z
match(x).y = 1
match[x] = 2
match -x:
    case -1:
        pass
match x:
    case {**rest}: pass
print(match, case, _)
ñ = 1
变量 = 2
x = (  # comment
    1)
x = 1; y = 2; z = 3;
try:
    pass
except* ValueError as e:
    pass
else:
    pass
finally:
    pass
while x:
    pass
else:
    pass
f"\n{x}\t{{}}"
f'''{"a" 'b'}'''
f"{a=!r:10}"
b"a" b"b"
x = 0_0j + 1_0e1_0 + 0e0 + 0.0e-0_1
x = not (a not in b) is not c
lambda *args, **kw: (args, kw)
lambda a, /: a
lambda a, /, *, b=1: b
def f(a, /, b=1, *, c=2, **d): pass
class A(B, C, *args, metaclass=M, **kw): pass
x = a if b else c if d else e
x = [i for i in range(3) if i if not i for j in range(i)]
x = (i async for i in a)
print(*[1], *[2], **{'a': 1}, **{'b': 2})
x = a[::], a[:], a[::1], a[1::], a[:1:]
x = a[...]
x = a[1:2, 3]
x = a[(1, 2)]
x = {}
x = {1}
x = {1: 2}
x = ()
x = ((),)
x = [[]]
x = 1 if True else 2
x = None
y = ...
global q
f(a)(b)
f(a for a in b)
x = yield
def gen():
    x = yield from range(3)
    y = yield x
    await_ = yield
x = "a" "b" f"c{d}" "e"
x = rb"\x" br"\y" Rb"\z"
x = "\x00\x7f\x80\xff\u0100\U00010000"
x = "\N{em dash}\N{BULLET}"
