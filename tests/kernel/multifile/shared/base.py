# Imported by shared/consts.py: a module importing from another module.
BASE = 100
