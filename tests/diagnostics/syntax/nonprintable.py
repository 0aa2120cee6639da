# ERROR@2 "invalid non-printable character U\+0001"
x = 1
