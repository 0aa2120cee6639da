# ERROR@2 "invalid character '€' \(U\+20AC\)"
x = 1 € 2
