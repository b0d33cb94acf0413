# Cross-compiles the server for 64-bit Arm Linux with Debian's cross
# toolchain (g++-aarch64-linux-gnu) against the arm64 libraries installed
# beside the host's (dpkg --add-architecture arm64; libgrpc++-dev:arm64).
#
#   cmake -S target-server -B target-server/build-aarch64 \
#       -DCMAKE_TOOLCHAIN_FILE=target-server/cmake/aarch64-linux-gnu.cmake
#
# protoc and grpc_cpp_plugin stay host programs (see Dependencies.cmake).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Libraries and packages come from the multiarch folders, e.g.
# /usr/lib/aarch64-linux-gnu; programs from the host.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Debian's gRPC CMake package points at host tools through arm64 paths;
# pkg-config's cross wrapper reads only the arm64 .pc files.
set(PYNQ_REMOTE_FORCE_PKGCONFIG ON CACHE BOOL "" FORCE)
set(PKG_CONFIG_EXECUTABLE aarch64-linux-gnu-pkg-config CACHE FILEPATH "")
# ctest runs the test programs under QEMU's user-mode emulator; the arm64
# loader and libraries are the multiarch ones on the host.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64)
