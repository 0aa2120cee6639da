# Backslash continuations at the start of lines: the first one fixes the indentation.
# The tokenize module places INDENT/DEDENT differently here than CPython's C
# tokenizer does (it omits the second block's), so:
# parse_diff: no-tokens
if x:
  \
    y = 1
z = [1,
\
  2]
if y:
\
  w = 3
