# ERROR@2 "invalid syntax"
from a import (*)
