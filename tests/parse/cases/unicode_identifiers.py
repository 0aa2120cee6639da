# Non-ASCII identifiers are normalised to NFKC (PEP 3131) wherever the
# parser makes an identifier; keywords are recognised before that, on the
# source text, so a keyword spelled with compatibility characters is a name.
# Ligatures: file, flag, ff, ffi
ﬁle = ﬂag = ﬀ = ﬃ = 1
# Fullwidth letters and digits
ｆｕｌｌ_ｗｉｄｔｈ = Ｘ１ + ｘ２
# Letterlike symbols, mathematical alphanumerics, modifier letters
ℌ, ℕ, ℯ, ⅈ, ℵ, µ, ſ = 𝐀𝐛𝐜, 𝔡, 𝖊, 𝙵, 𝚐, ᵃ, ª
# Digraphs and other compatibility letters
ǅ = ǲ = ĳ = ŉ = ǈ
# Hangul syllables and jamo (already NFKC: unchanged)
ᄀ각 = 가 + 각 + 갂
# Keywords and soft keywords in fullwidth letters are names: "if", "else",
# "None", "True", "match", "case"
ｉｆ = ｅｌｓｅ = Ｎｏｎｅ = Ｔｒｕｅ = 0
ｍａｔｃｈ = ｃａｓｅ = ｘ_ｙ = 1
ｐｒｉｎｔ(ｍａｔｃｈ, ｓｅｌｆ.ａｔｔｒ, ｏｂｊ.ｍｅｔｈｏｄ(ｋｅｙ=ｖａｌｕｅ, **ｋｗ))


@ｄｅｃｏ
def ｆｕｎｃ(ｐｏｓ, /, ａｒｇ: ｉｎｔ = 1, *ａｒｇｓ, ｋｗ=2, **ｋｗａｒｇｓ) -> ｓｔｒ:
    ｇｌｏｂａｌ_ｎａｍｅ = lambda ｙ, *ｚ, ｗ=0: ｙ
    return [ｉ for ｉ in ａｒｇｓ if ｉ]


class Ｃｌａｓｓ(Ｂａｓｅ, ｍｅｔａｃｌａｓｓ=Ｍｅｔａ):
    ａｔｔｒ: ｉｎｔ
    def ｍｅｔｈｏｄ(ｓｅｌｆ):
        global ｇ
        nonlocal_ = ｓｅｌｆ.ａｔｔｒ
        del ｓｅｌｆ.ａｔｔｒ


import ｏｓ.ｐａｔｈ as ｏｐ, ｓｙｓ
from ..ｐｋｇ.ｍｏｄ import ｎａｍｅ as ｎ, ｏｔｈｅｒ
from ｃｏｌｌｅｃｔｉｏｎｓ import (ａ, ｂ)
try:
    pass
except Ｅｒｒｏｒ as ｅｒｒ:
    pass
with ｏｐｅｎ(ｆ) as ｆｈ, ｃｔｘ() as (ｐ, ｑ):
    f"{ｆｈ!r} {ｆｈ.ｎａｍｅ:{ｗｉｄｔｈ}} {ｆｈ=}"
match ｐｏｉｎｔ:
    case Ｐｏｉｎｔ(ｘ=0, ｙ=ｙｙ) | [ｘｘ, *ｒｅｓｔ] if ｙｙ:
        pass
    case {"ｋ": ｖ, **ｒｅｍ}:
        pass
    case ｍｏｄ.ＣＯＮＳＴ as ｃ:
        pass
async def ａｓｙｎｃ_ｆ():
    await ａｗａｉｔａｂｌｅ
    async for ｉｔｅｍ in ａｉｔｅｒ:
        pass
ｖａｌｕｅ = 1 if (ｎ := 10) else 2 if False else None
