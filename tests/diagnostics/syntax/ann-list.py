# ERROR@2 "only single target \(not list\) can be annotated"
[a]: int
