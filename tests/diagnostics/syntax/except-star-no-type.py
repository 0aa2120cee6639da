# ERROR@4 "expected one or more exception types"
try:
    pass
except*:
    pass
