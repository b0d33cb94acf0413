# Cross-compiles the server for 32-bit Arm Linux (armhf: ARMv7-A, hard float,
# the Zynq-7000's Cortex-A9) with Debian's cross toolchain
# (g++-arm-linux-gnueabihf) against the armhf libraries installed beside the
# host's (dpkg --add-architecture armhf; libgrpc++-dev:armhf).
#
#   cmake -S target-server -B target-server/build-armhf \
#       -DCMAKE_TOOLCHAIN_FILE=target-server/cmake/arm-linux-gnueabihf.cmake
#
# protoc and grpc_cpp_plugin stay host programs (see Dependencies.cmake).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)
set(CMAKE_C_COMPILER arm-linux-gnueabihf-gcc)
set(CMAKE_CXX_COMPILER arm-linux-gnueabihf-g++)
# Libraries and packages come from the multiarch folders, e.g.
# /usr/lib/arm-linux-gnueabihf; programs from the host.
set(CMAKE_LIBRARY_ARCHITECTURE arm-linux-gnueabihf)
# GCC notes on 32-bit Arm that it passes some std types differently than
# GCC before 7.1 did; nothing here links with code that old.
set(CMAKE_CXX_FLAGS_INIT -Wno-psabi)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
# Debian's gRPC CMake package points at host tools through armhf paths;
# pkg-config's cross wrapper reads only the armhf .pc files.
set(PYNQ_REMOTE_FORCE_PKGCONFIG ON CACHE BOOL "" FORCE)
set(PKG_CONFIG_EXECUTABLE arm-linux-gnueabihf-pkg-config CACHE FILEPATH "")
# ctest runs the test programs under QEMU's user-mode emulator; the armhf
# loader and libraries are the multiarch ones on the host.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-arm)
