f() = 1  # ERROR "cannot assign to function call here\. Maybe you meant '==' instead of '='\?"
