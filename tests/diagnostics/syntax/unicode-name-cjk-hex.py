# ERROR@3 "\(unicode error\) 'unicodeescape' codec can't decode bytes in position 0-29: unknown Unicode character name"
# CJK UNIFIED IDEOGRAPH-XXXX takes its hex digits in capitals only
x = "\N{CJK UNIFIED IDEOGRAPH-4e00}"
