# ERROR@3 "\(unicode error\) 'unicodeescape' codec can't decode bytes in position 1-48: unknown Unicode character name"
# a named sequence (unicodedata.lookup() knows it) is not a character
x = f"{y}.\N{LATIN CAPITAL LETTER A WITH MACRON AND GRAVE}"
