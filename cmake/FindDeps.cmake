# Locates the build dependencies: LLVM 19 (C API), libbpf, libelf, zlib and
# Python 3. Debian 12 packages: see scripts/install-deps.sh.

# ---- LLVM 19 through llvm-config ----
find_program(LLVM_CONFIG NAMES llvm-config-19 llvm-config
             HINTS /usr/lib/llvm-19/bin REQUIRED)
execute_process(COMMAND ${LLVM_CONFIG} --version OUTPUT_VARIABLE LLVM_VERSION
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(NOT LLVM_VERSION MATCHES "^19\\.")
  message(FATAL_ERROR "pybpf needs LLVM 19, found ${LLVM_VERSION} (${LLVM_CONFIG})")
endif()
execute_process(COMMAND ${LLVM_CONFIG} --includedir OUTPUT_VARIABLE LLVM_INCLUDE_DIR
                OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND ${LLVM_CONFIG} --libdir OUTPUT_VARIABLE LLVM_LIB_DIR
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(PYBPF_LLVM_STATIC)
  execute_process(COMMAND ${LLVM_CONFIG} --link-static --libs bpf passes
                  OUTPUT_VARIABLE _llvm_libs OUTPUT_STRIP_TRAILING_WHITESPACE)
  separate_arguments(_llvm_libs UNIX_COMMAND "${_llvm_libs}")
  set(LLVM_LINK_LIBS ${_llvm_libs} z zstd rt dl m pthread)
else()
  execute_process(COMMAND ${LLVM_CONFIG} --libs OUTPUT_VARIABLE _llvm_libs
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  separate_arguments(_llvm_libs UNIX_COMMAND "${_llvm_libs}")
  set(LLVM_LINK_LIBS ${_llvm_libs})
endif()
add_library(pybpf_llvm INTERFACE)
target_include_directories(pybpf_llvm SYSTEM INTERFACE ${LLVM_INCLUDE_DIR})
target_link_directories(pybpf_llvm INTERFACE ${LLVM_LIB_DIR})
target_link_libraries(pybpf_llvm INTERFACE ${LLVM_LINK_LIBS})
message(STATUS "LLVM ${LLVM_VERSION} (${LLVM_CONFIG}), static=${PYBPF_LLVM_STATIC}")

# ---- libbpf, libelf, zlib ----
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBBPF REQUIRED IMPORTED_TARGET libbpf>=1.1)
pkg_check_modules(LIBELF REQUIRED IMPORTED_TARGET libelf)
find_package(ZLIB REQUIRED)

# ---- Python 3 (Debian's interpreter and headers) ----
if(NOT Python3_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python3_EXECUTABLE /usr/bin/python3)
endif()
find_package(Python3 3.9 REQUIRED COMPONENTS Interpreter Development.Module)

# ---- tools used by tests and benchmarks (optional at configure time) ----
find_program(CLANG_BPF NAMES clang-19 HINTS /usr/lib/llvm-19/bin)
find_program(BPFTOOL NAMES bpftool HINTS /usr/sbin /sbin)
find_program(LLVM_OBJDUMP NAMES llvm-objdump-19 llvm-objdump HINTS /usr/lib/llvm-19/bin)
find_program(FILECHECK NAMES FileCheck-19 FileCheck HINTS /usr/lib/llvm-19/bin)
