# ERROR@2 "invalid syntax\. Perhaps you forgot a comma\?"
nonlo {cal x}
