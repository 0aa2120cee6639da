# ERROR@2 "bytes can only contain ASCII literal characters"
x = b"Ã©"
