# gRPC as a Yocto sysroot presents it to the server's CMake (meta-oe's grpc
# ships gRPCConfig.cmake), mapped onto Debian's libraries so this machine can
# compile that branch of target-server/cmake/Dependencies.cmake. Like the
# sysroot, it also names the target's code generators (gRPC::grpc_cpp_plugin,
# protobuf::protoc), which the build machine cannot run: ../../../bin has
# stand-ins that fail, so a build that used them fails.
# tests/test_cmake_package.py configures with gRPC_DIR pointing here.

set(gRPC_VERSION "1.51.1-sysroot")
set(_sysroot "${CMAKE_CURRENT_LIST_DIR}/../../..")
set(_libdir "/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}")

function(_pynq_remote_test_library target name)
  find_library(_lib_${name} NAMES ${name} PATHS "${_libdir}" NO_DEFAULT_PATH REQUIRED)
  add_library(${target} SHARED IMPORTED)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${_lib_${name}}"
    INTERFACE_INCLUDE_DIRECTORIES "/usr/include")
endfunction()

if(NOT TARGET protobuf::libprotobuf)
  _pynq_remote_test_library(protobuf::libprotobuf protobuf)
  add_executable(protobuf::protoc IMPORTED)
  set_target_properties(protobuf::protoc PROPERTIES
    IMPORTED_LOCATION "${_sysroot}/usr/bin/protoc")
endif()
_pynq_remote_test_library(gRPC::gpr gpr)
_pynq_remote_test_library(gRPC::grpc grpc)
_pynq_remote_test_library(gRPC::grpc++ grpc++)
_pynq_remote_test_library(gRPC::grpc++_reflection grpc++_reflection)
set_property(TARGET gRPC::grpc PROPERTY INTERFACE_LINK_LIBRARIES gRPC::gpr)
set_property(TARGET gRPC::grpc++ PROPERTY INTERFACE_LINK_LIBRARIES
             gRPC::grpc protobuf::libprotobuf)
set_property(TARGET gRPC::grpc++_reflection PROPERTY INTERFACE_LINK_LIBRARIES gRPC::grpc++)
add_executable(gRPC::grpc_cpp_plugin IMPORTED)
set_target_properties(gRPC::grpc_cpp_plugin PROPERTIES
  IMPORTED_LOCATION "${_sysroot}/usr/bin/grpc_cpp_plugin")
