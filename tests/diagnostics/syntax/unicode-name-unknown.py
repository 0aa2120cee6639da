# ERROR@3 "\(unicode error\) 'unicodeescape' codec can't decode bytes in position 24-45: unknown Unicode character name"
# Hangul syllable names are looked up in capitals only (lowercase names work)
x = "\N{latin small letter a}\N{hangul syllable ga}"
