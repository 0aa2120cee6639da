# pybpf_add_bpf_object: compile a pybpf program (.py) to a BPF object at build
# time, and optionally generate its C skeleton header.
#
#   pybpf_add_bpf_object(<target> <source.py>
#                        [OUTPUT <file.bpf.o>]      # default <binary dir>/<name>.bpf.o
#                        [MCPU v1|v2|v3|v4]          # pybpf compile --mcpu
#                        [OPT 0|1|2|3]               # pybpf compile -O<n>
#                        [BTF <vmlinux BTF file>]    # pybpf compile --btf (a dependency too)
#                        [SKELETON [<file.skel.h>]]  # default <binary dir>/<name>.skel.h
#                        [SKELETON_NAME <C name>]    # default <name>_bpf
#                        [LIBPYBPF]                  # the skeleton over libpybpf
#                                                    # (gen skeleton --libpybpf;
#                                                    # link pybpf::libpybpf)
#                        [COMPILE_OPTIONS <args>...])
#
# Creates the custom target <target> (built by `all`), and sets in the
# caller's scope <target>_OBJECT (the object's path) and, with SKELETON,
# <target>_SKELETON (the header) and <target>_SKELETON_DIR (its directory,
# for target_include_directories). List ${<target>_SKELETON} among an
# executable's sources so the header exists before the C code compiles.
#
# The object is rebuilt when the source, the pybpf compiler or anything the
# compiler reports in its depfile (pybpf compile -MD) changes. Needs
# PYBPF_EXECUTABLE, which find_package(pybpf) sets.
function(pybpf_add_bpf_object target source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "LIBPYBPF" "OUTPUT;MCPU;OPT;BTF;SKELETON_NAME"
                        "SKELETON;COMPILE_OPTIONS")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "pybpf_add_bpf_object: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT PYBPF_EXECUTABLE)
    message(FATAL_ERROR "pybpf_add_bpf_object: PYBPF_EXECUTABLE is not set "
                        "(use find_package(pybpf))")
  endif()
  get_filename_component(src "${source}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  get_filename_component(stem "${src}" NAME)
  string(REGEX REPLACE "\\.py$" "" stem "${stem}")
  string(REGEX REPLACE "\\.bpf$" "" stem "${stem}")
  if(arg_OUTPUT)
    get_filename_component(obj "${arg_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  else()
    set(obj "${CMAKE_CURRENT_BINARY_DIR}/${stem}.bpf.o")
  endif()
  set(depfile "${obj}.d")
  set(opts ${arg_COMPILE_OPTIONS})
  if(arg_MCPU)
    list(APPEND opts "--mcpu=${arg_MCPU}")
  endif()
  if(DEFINED arg_OPT)
    string(REGEX REPLACE "^-?O" "" level "${arg_OPT}")
    list(APPEND opts "-O${level}")
  endif()
  set(deps "${src}" "${PYBPF_EXECUTABLE}")
  if(arg_BTF)
    get_filename_component(btf "${arg_BTF}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND opts "--btf=${btf}")
    list(APPEND deps "${btf}")
  endif()
  get_filename_component(objdir "${obj}" DIRECTORY)
  file(MAKE_DIRECTORY "${objdir}")
  add_custom_command(
    OUTPUT "${obj}"
    COMMAND "${PYBPF_EXECUTABLE}" compile "${src}" -o "${obj}" -MD -MF "${depfile}" -MT "${obj}"
            "--debug-compilation-dir=${CMAKE_SOURCE_DIR}" ${opts}
    DEPENDS ${deps}
    DEPFILE "${depfile}"
    COMMENT "pybpf: compiling ${source}"
    VERBATIM)
  set(outputs "${obj}")
  set(${target}_OBJECT "${obj}" PARENT_SCOPE)
  if(DEFINED arg_SKELETON OR "SKELETON" IN_LIST arg_KEYWORDS_MISSING_VALUES)
    if(arg_SKELETON)
      get_filename_component(skel "${arg_SKELETON}" ABSOLUTE
                             BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
    else()
      set(skel "${CMAKE_CURRENT_BINARY_DIR}/${stem}.skel.h")
    endif()
    if(arg_SKELETON_NAME)
      set(name "${arg_SKELETON_NAME}")
    else()
      string(MAKE_C_IDENTIFIER "${stem}_bpf" name)
    endif()
    set(flavour)
    if(arg_LIBPYBPF)
      set(flavour --libpybpf)
    endif()
    add_custom_command(
      OUTPUT "${skel}"
      COMMAND "${PYBPF_EXECUTABLE}" gen skeleton "${obj}" --name "${name}" ${flavour} -o "${skel}"
      DEPENDS "${obj}" "${PYBPF_EXECUTABLE}"
      COMMENT "pybpf: generating ${name} skeleton"
      VERBATIM)
    list(APPEND outputs "${skel}")
    get_filename_component(skeldir "${skel}" DIRECTORY)
    set(${target}_SKELETON "${skel}" PARENT_SCOPE)
    set(${target}_SKELETON_DIR "${skeldir}" PARENT_SCOPE)
  endif()
  add_custom_target(${target} ALL DEPENDS ${outputs})
  set_target_properties(${target} PROPERTIES PYBPF_OBJECT "${obj}")
endfunction()
