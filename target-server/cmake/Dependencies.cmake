# Finds gRPC and protobuf and defines:
#   pynq_remote::grpc          interface target carrying grpc++ and protobuf
#                              (and grpc++_reflection, for server reflection)
#   PYNQ_REMOTE_PROTOC         path of the protoc compiler (a host program)
#   PYNQ_REMOTE_GRPC_PLUGIN    path of grpc_cpp_plugin (a host program)
#   pynq_remote::avahi_core    avahi-core, the embeddable mDNS responder
#
# Yocto ships CMake packages for gRPC and protobuf; Debian's grpc++ is also
# reachable through pkg-config, which is the fallback.

option(PYNQ_REMOTE_FORCE_PKGCONFIG
       "Find gRPC and protobuf with pkg-config even if CMake packages exist" OFF)

add_library(pynq_remote_grpc INTERFACE)
add_library(pynq_remote::grpc ALIAS pynq_remote_grpc)

if(NOT PYNQ_REMOTE_FORCE_PKGCONFIG)
  find_package(gRPC CONFIG QUIET)
  find_package(Protobuf QUIET)
endif()

if(TARGET gRPC::grpc++ AND TARGET protobuf::libprotobuf)
  message(STATUS "pynq-remote: gRPC ${gRPC_VERSION} from its CMake package")
  target_link_libraries(pynq_remote_grpc INTERFACE gRPC::grpc++
                                                   gRPC::grpc++_reflection
                                                   protobuf::libprotobuf)
else()
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(PYNQ_REMOTE_GRPCPP REQUIRED IMPORTED_TARGET grpc++ protobuf)
  message(STATUS "pynq-remote: gRPC ${PYNQ_REMOTE_GRPCPP_grpc++_VERSION} from pkg-config")
  # Debian ships grpc++_reflection without a pkg-config file.
  find_library(PYNQ_REMOTE_GRPCPP_REFLECTION NAMES grpc++_reflection REQUIRED
               HINTS ${PYNQ_REMOTE_GRPCPP_LIBRARY_DIRS})
  target_link_libraries(pynq_remote_grpc INTERFACE
    ${PYNQ_REMOTE_GRPCPP_REFLECTION} PkgConfig::PYNQ_REMOTE_GRPCPP)
endif()

# mDNS/DNS-SD announcing: avahi-core and avahi-common, through pkg-config
# everywhere (Debian's libavahi-core-dev, Yocto's avahi).
find_package(PkgConfig REQUIRED)
pkg_check_modules(PYNQ_REMOTE_AVAHI REQUIRED IMPORTED_TARGET avahi-core)
add_library(pynq_remote::avahi_core ALIAS PkgConfig::PYNQ_REMOTE_AVAHI)

# The code generators run on the build machine, so they are looked up as
# programs (a cross toolchain file keeps program lookup on the host).
find_program(PYNQ_REMOTE_PROTOC NAMES protoc REQUIRED)
find_program(PYNQ_REMOTE_GRPC_PLUGIN NAMES grpc_cpp_plugin REQUIRED)
