1 = x  # ERROR "cannot assign to literal here\. Maybe you meant '==' instead of '='\?"
