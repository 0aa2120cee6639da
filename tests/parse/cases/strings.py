# String, bytes and f-string literals.
a = 'single' "double" '''triple''' """triple double"""
b = r'raw\n' R"RAW\t"
b2 = rb'\x00' Rb"x" bR'y' BR"z" br'\d'
c = u'unicode' U"upper"
d = b'bytes\x00\xff\n\t\\' B"\101\7"
e = "escapes: \n \t \r \\ \' \" \a \b \f \v \0 \12 \123 \x41 \u00e9 \U0001F600 \N{EM DASH} \d \q"
f = f"simple {x}"
g = f"{x!r} {y!s} {z!a} {w:>10} {v:{width}.{prec}f} {u!r:^20}"
h = f"{{escaped}} {{{x}}} }}{{"
i = f"{x=} {y = } {z=!s} {w=:>5}"
j = f'{"nested"} {f"{x}"} {a["key"]}'
k = f"{x:{'>' if y else '<'}10}"
l = "plain" f"{x}" "more" f"{y}"
m = f"" "" f""
n = f"{3.14:.2f} {1+2} {a, b} {(lambda: 1)}" if 0 else None
o = f"""multi
{line}
  {x + y}"""
p = (f"a{b}"
     f"{c}d")
q = rf"raw {x}\n" fr"{y}\d" FR"{z}" Rf'{w}'
r = f"{x!r:{y}}"
s = f"{'a' 'b'}"
t = 'é' "ü" f"ñ{x}ß"
u = "\N{LATIN SMALL LETTER E WITH ACUTE}"
v = f"{x:%Y-%m-%d}"
w = f"{ x }"
x = f"{x:{y}{z}}"
y = "a\
b"
z = """a\
b"""
aa = f"{dict(a=1)['a']}"
bb = f'{x!r}' f'{y}'
cc = "\ud800"
dd = f"{(lambda x: x)(1)}"
ee = f"{x if y else z}"
ff = f"{x:=^10}"
gg = f"{x!=y}"
hh = f"{a[1:2]}"
ii = f"{ {'a': 1}['a'] }"
jj = f"""{
x
}"""
kk = u"first" "second"
ll = f"\{x}"
mm = f"{'''tri'''}"
