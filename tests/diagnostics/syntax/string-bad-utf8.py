# ERROR@2 "\(unicode error\) 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte"
x = "aÿ"
