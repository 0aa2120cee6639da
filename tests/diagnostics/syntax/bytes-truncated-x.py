# ERROR@2 "\(value error\) invalid \\x escape at position 2"
x = b'ab\x4'
