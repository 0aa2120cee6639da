# identifiers are normalised to NFKC before the parser looks at their names
ｐｒｉｎｔ "hello"  # ERROR "Missing parentheses in call to 'print'. Did you mean print\(...\)\?"
