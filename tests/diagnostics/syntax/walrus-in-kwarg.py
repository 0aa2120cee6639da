# ERROR@2 "invalid syntax\. Maybe you meant '==' or ':=' instead of '='\?"
f(a=b for b in c)
