x = [1 2]  # ERROR "invalid syntax\. Perhaps you forgot a comma\?"
