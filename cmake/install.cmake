# `cmake --install`: the pybpf command, libpybpf (static library, header,
# pkg-config file), libpybpfc (the compiler as a shared library with LLVM
# inside, compile.h, pkg-config file), the CMake package (find_package(pybpf):
# pybpf::pybpf, pybpf::libpybpf, pybpf::compiler, pybpf_add_bpf_object), the
# Python packages where the system python3 finds them, and the man page
# (gzipped, as Debian policy wants).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Debian's python3 reads /usr/lib/python3/dist-packages (for prefix /usr) and
# /usr/local/lib/python3.X/dist-packages (other prefixes): decided at install
# time (cmake --install --prefix, CPack), unless PYBPF_INSTALL_PYTHONDIR is set.
set(PYBPF_INSTALL_PYTHONDIR "" CACHE STRING
    "Where the Python packages go, relative to the install prefix (default: Debian's)")
set(PYBPF_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/pybpf)

install(TARGETS pybpf RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS pybpf_runtime ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/runtime/include/pybpf/libpybpf.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pybpf)
install(TARGETS pybpfc_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${PROJECT_SOURCE_DIR}/compiler/include/pybpf/compile.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/pybpf)
# man page: gzip -9n (no name or time stamp in it: reproducible)
find_program(GZIP_EXECUTABLE gzip REQUIRED)
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/pybpf.1.gz
  COMMAND ${GZIP_EXECUTABLE} -9nc ${PROJECT_SOURCE_DIR}/docs/pybpf.1 > ${CMAKE_BINARY_DIR}/pybpf.1.gz
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/pybpf.1)
add_custom_target(pybpf_man ALL DEPENDS ${CMAKE_BINARY_DIR}/pybpf.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/pybpf.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# pkg-config: libpybpf is static, so its dependencies come with it; the
# prefix is found relative to the .pc file, so --prefix and DESTDIR work
file(RELATIVE_PATH PYBPF_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${PROJECT_SOURCE_DIR}/cmake/libpybpf.pc.in ${CMAKE_BINARY_DIR}/libpybpf.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/libpybpf.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
configure_file(${PROJECT_SOURCE_DIR}/cmake/libpybpfc.pc.in ${CMAKE_BINARY_DIR}/libpybpfc.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/libpybpfc.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# the CMake package, relocatable (paths relative to the config file)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/pybpfConfig.cmake.in
  ${CMAKE_BINARY_DIR}/install/pybpfConfig.cmake
  INSTALL_DESTINATION ${PYBPF_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
install(FILES ${CMAKE_BINARY_DIR}/install/pybpfConfig.cmake
              ${CMAKE_BINARY_DIR}/pybpfConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/pybpfFunctions.cmake
        DESTINATION ${PYBPF_INSTALL_CMAKEDIR})

# the Python packages as built (pure Python, type stubs and _pybpf)
install(CODE "
  set(_pydir \"${PYBPF_INSTALL_PYTHONDIR}\")
  if(NOT _pydir AND CMAKE_INSTALL_PREFIX STREQUAL \"/usr\")
    set(_pydir lib/python3/dist-packages)
  elseif(NOT _pydir)
    set(_pydir lib/python${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}/dist-packages)
  endif()
  file(INSTALL \"${PYBPF_PYTHON_DIR}/pybpf\" \"${PYBPF_PYTHON_DIR}/pythonbpf\"
       DESTINATION \"\${CMAKE_INSTALL_PREFIX}/\${_pydir}\"
       PATTERN __pycache__ EXCLUDE)
")

# CPack: a .deb for Debian 12 (cpack -G DEB in the build directory). Shared
# library dependencies come from dpkg-shlibdeps; the Python extension is
# built for the python3 it was configured with.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pybpf)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "pybpf developers <dev@pybpf.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "compiler of decorated Python to BPF objects, with a loader runtime")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# libpybpfc.so.0: a shlibs file and the ldconfig trigger
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_STRIP_FILES ON)
math(EXPR _pynext "${Python3_VERSION_MINOR} + 1")
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), python3 (<< ${Python3_VERSION_MAJOR}.${_pynext})")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libbpf-dev, libelf-dev, zlib1g-dev, pkg-config, cmake")
include(CPack)
