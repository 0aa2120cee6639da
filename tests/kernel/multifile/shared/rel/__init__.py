# A package (relative.py): its __init__.py is the module `shared.rel`.
R0 = 5
