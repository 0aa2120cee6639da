# ERROR@2 "trailing comma not allowed without surrounding parentheses"
from a import b,
