# Extensions: a user's own gRPC services built into the server from folders
# outside this tree (docs/extensions.md). Each folder has a CMakeLists.txt
# that calls pynq_remote_add_extension() once.
#
# pynq_remote_add_extension(NAME <name>
#                           PROTO_ROOT <dir>
#                           PROTOS <file>...
#                           SOURCES <file>...
#                           [TESTS <file>...])
#
# Generates C++ from PROTOS (paths under PROTO_ROOT, which is also the import
# root; the core protos can be imported too, as pynq_remote/v1/*.proto), and
# compiles them with SOURCES into an object library linked into the server,
# so the PYNQ_REMOTE_EXTENSION registrations in SOURCES are never dropped.
# TESTS, GoogleTest files, become a test program run by ctest (when
# PYNQ_REMOTE_BUILD_TESTS is on) that links the extension's code.
function(pynq_remote_add_extension)
  cmake_parse_arguments(ARG "" "NAME;PROTO_ROOT" "PROTOS;SOURCES;TESTS" ${ARGN})
  if(NOT ARG_NAME MATCHES "^[a-z][a-z0-9_]*$")
    message(FATAL_ERROR "pynq_remote_add_extension: NAME '${ARG_NAME}' must "
                        "be lower case letters, digits and '_'")
  endif()
  if(NOT ARG_PROTOS OR NOT ARG_SOURCES)
    message(FATAL_ERROR "pynq_remote_add_extension(${ARG_NAME}): give PROTOS "
                        "and SOURCES")
  endif()
  get_filename_component(proto_root "${ARG_PROTO_ROOT}" ABSOLUTE)
  set(generated)
  pynq_remote_generate_proto(generated GRPC
    IMPORT_ROOT "${proto_root}" PROTOS ${ARG_PROTOS}
    IMPORT_PATHS "${PYNQ_REMOTE_CORE_PROTO_DIR}")

  set(target pynq_remote_extension_${ARG_NAME})
  add_library(${target} OBJECT ${generated} ${ARG_SOURCES})
  target_include_directories(${target} PUBLIC
    "${CMAKE_CURRENT_SOURCE_DIR}" "${CMAKE_CURRENT_SOURCE_DIR}/src")
  target_include_directories(${target} SYSTEM PUBLIC
    "${CMAKE_CURRENT_BINARY_DIR}/proto")
  target_link_libraries(${target} PUBLIC pynq_remote_core)
  # The extension's own code, not the generated code, is held to the
  # core's warnings.
  set_source_files_properties(${ARG_SOURCES} PROPERTIES
                              COMPILE_OPTIONS "-Wall;-Wextra")
  set_property(GLOBAL APPEND PROPERTY PYNQ_REMOTE_EXTENSION_TARGETS ${target})
  message(STATUS "pynq-remote: extension ${ARG_NAME}")

  if(ARG_TESTS AND PYNQ_REMOTE_BUILD_TESTS)
    find_package(GTest REQUIRED)
    include(GoogleTest)
    add_executable(${target}_tests ${ARG_TESTS})
    target_link_libraries(${target}_tests PRIVATE ${target} GTest::gmock
                                                  GTest::gtest_main)
    target_compile_options(${target}_tests PRIVATE -Wall -Wextra)
    gtest_discover_tests(${target}_tests DISCOVERY_MODE PRE_TEST)
  endif()
endfunction()

# Adds each folder of an extension and links what it registered into
# `server_target`. Relative folders are taken from the top of this tree.
function(pynq_remote_add_extension_folders server_target)
  set(index 0)
  foreach(folder IN LISTS ARGN)
    get_filename_component(folder "${folder}" ABSOLUTE
                           BASE_DIR "${PROJECT_SOURCE_DIR}")
    if(NOT EXISTS "${folder}/CMakeLists.txt")
      message(FATAL_ERROR "PYNQ_REMOTE_EXTENSIONS: ${folder} has no "
                          "CMakeLists.txt calling pynq_remote_add_extension()")
    endif()
    get_filename_component(name "${folder}" NAME)
    math(EXPR index "${index} + 1")
    add_subdirectory("${folder}" "${CMAKE_BINARY_DIR}/extensions/${index}-${name}")
  endforeach()
  get_property(targets GLOBAL PROPERTY PYNQ_REMOTE_EXTENSION_TARGETS)
  if(targets)
    target_link_libraries(${server_target} PRIVATE ${targets})
  endif()
endfunction()
