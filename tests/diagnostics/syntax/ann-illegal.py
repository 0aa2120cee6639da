# ERROR@2 "illegal target for annotation"
a + 1: int
