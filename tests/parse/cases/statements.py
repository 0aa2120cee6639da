# Statements of every kind.
import a
import a.b.c as d, e
from . import x
from .. import y as z
from ... import w
from .... import v
from .a.b import (c, d as e,)
from a import *
x = y = z = 1
x: int
x: int = 5
(y): int = 6
a.b: str = "s"
a[0]: float
a += 1; b -= 2; c *= 3; d /= 4; e //= 5; f %= 6; g **= 7; h >>= 8; i <<= 9; j &= 10; k ^= 11; l |= 12; m @= 13
del a, b[0], c.d, (e, f), [g]
del (a), [b, c]
assert x, "msg"
assert y
pass
global g1, g2
nonlocal_ = 1
raise
raise E
raise E from None
*a, b = c
a, *b = c
[a, b] = c
(a, b), c = d
a.b, c[d] = e
x = yield
x = yield from y
x = yield a, b
def f():
    return
def g():
    return 1, 2
def h(a, b: int = 3, *args: str, c, d: int = 4, **kwargs: dict) -> None:
    nonlocal x
    global y
    yield
    yield 1
    return (yield from h())
async def k():
    await x
    async for a in b:
        pass
    else:
        pass
    async with a as b, c:
        pass
    return [x async for x in y]
@dec
@dec.attr(1)
@(lambda f: f)
@x[0].y
class C(Base, metaclass=Meta, **kw):
    """Doc."""
    x: int = 0
    def method(self, /, a, *, b): ...
class D: pass
class E(): pass
if a:
    pass
elif b:
    pass
elif c:
    pass
else:
    pass
while x:
    break
else:
    continue
for x in y:
    pass
for x, y in z:
    pass
for (x, y) in z: pass
for [x, *y] in z: pass
for x in 1, 2, 3: pass
for x in *a, *b: pass
with a: pass
with a as b: pass
with a as (b, c): pass
with (a as b, c as d): pass
with (a as b, c as d,): pass
with (a, b): pass
with (a): pass
with (yield): pass
with a as b.c, d as e[0]: pass
try:
    pass
except:
    pass
try:
    pass
except E:
    pass
except (A, B) as e:
    pass
else:
    pass
finally:
    pass
try:
    pass
finally:
    pass
try:
    pass
except* A:
    pass
except* (B, C) as e:
    pass
if x: y = 1; z = 2;
lambda: (yield)
x = 1 if 2 else 3
def f(a, /): pass
def f(a=1, /, b=2): pass
def f(*, a): pass
def f(*a: *Ts): pass
def f(**kw): pass
def f(a, b, /, c, d, *e, f, g=1, **h): pass
