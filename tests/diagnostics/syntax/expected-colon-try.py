# ERROR@2 "expected ':'"
try
    pass
except:
    pass
