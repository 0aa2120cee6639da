# NFKC of identifiers with combining marks or connector punctuation (see
# unicode_identifiers.py): the tokenize module splits such names, so only
# the ASTs are compared.
# parse_diff: no-tokens
# precomposed, and e + U+0301, which composes
café = café = Café
# marks put in order of combining class, then composed
ẛ̣ = ṩ = ṩ = ṩ
# no composite: the marks stay
x̀́ = á́ = á̧̀
# ANGSTROM SIGN is A with ring above
Å = Å = Å
# U+01A1 U+0323 U+0301 and reorderings: U+1EE3 U+0301
ợ́ = ợ́ = ợ́
# marks of the same class keep their order: two names
ḗ = é̄
# composition exclusions stay decomposed
q̣̇ = ड़ = ड़
# two starters compose (Oriya vowel signs)
କୋ = କୌ = କୋ
# Hangul jamo compose to syllables
가 = 각 = 각 = 각
# a mark between the jamo blocks them
가́ᆨ = ᄀ́ᅡ
# compatibility decomposition, then canonical composition
ª́ = ᵃ́ = á
# more of them: long s, ligature, roman numerals, compatibility jamo
ẛ́ = ﬁ́ = Ⅱ̅ = ⅰ̆ = ㄱㅏ
# connector punctuation: fullwidth and presentation-form low lines are _
ｘ＿ｙ = a︳b = a﹍﹎﹏b = _‿⁀
