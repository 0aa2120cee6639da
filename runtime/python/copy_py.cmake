# cmake -DSRC=<runtime/python> -DDST=<build>/python -P copy_py.cmake
# Copies the pure-Python packages (those present) into the build tree.
foreach(_pkg pybpf pythonbpf)
  if(EXISTS ${SRC}/${_pkg})
    file(GLOB_RECURSE _files RELATIVE ${SRC}/${_pkg} ${SRC}/${_pkg}/*.py ${SRC}/${_pkg}/*.pyi
         ${SRC}/${_pkg}/py.typed)
    foreach(_f IN LISTS _files)
      configure_file(${SRC}/${_pkg}/${_f} ${DST}/${_pkg}/${_f} COPYONLY)
    endforeach()
  endif()
endforeach()
# Top-level modules (vmlinux.py: kernel types from the running kernel's BTF).
foreach(_mod vmlinux)
  if(EXISTS ${SRC}/${_mod}.py)
    configure_file(${SRC}/${_mod}.py ${DST}/${_mod}.py COPYONLY)
  endif()
endforeach()
