# keywords are recognised on the source text: this is the name "if"
ｉｆ x:  # ERROR "invalid syntax"
    pass
