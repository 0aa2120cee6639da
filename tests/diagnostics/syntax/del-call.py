del f()  # ERROR "cannot delete function call"
