# ERROR@2 "\(unicode error\) 'unicodeescape' codec can't decode bytes in position 0-3: truncated \\uXXXX escape"
x = "\u12"
