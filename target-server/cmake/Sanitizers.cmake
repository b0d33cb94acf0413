# Compiler and linker flags for PYNQ_REMOTE_SANITIZE and PYNQ_REMOTE_FUZZ,
# applied to everything built in this directory (server, tests, fuzzers).
# gRPC and protobuf themselves come uninstrumented from the system.
#
#   PYNQ_REMOTE_SANITIZE=address (or ON): ASan + UBSan, any UB report fatal
#   PYNQ_REMOTE_SANITIZE=thread: TSan
#   PYNQ_REMOTE_FUZZ=ON: clang only; adds libFuzzer's coverage instrumentation
#     to all code (fuzzer-no-link) on top of ASan + UBSan. The server and the
#     tests of such a build run as usual; only fuzz/ links libFuzzer's main.

string(TOLOWER "${PYNQ_REMOTE_SANITIZE}" pynq_remote_sanitize)
if(PYNQ_REMOTE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "PYNQ_REMOTE_FUZZ needs clang (libFuzzer), not "
                        "${CMAKE_CXX_COMPILER_ID}: configure with "
                        "-DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  if(pynq_remote_sanitize STREQUAL "thread")
    message(FATAL_ERROR "PYNQ_REMOTE_FUZZ builds with ASan; it cannot be "
                        "combined with PYNQ_REMOTE_SANITIZE=thread")
  endif()
  set(pynq_remote_sanitize address)
endif()

if(pynq_remote_sanitize MATCHES "^(on|yes|true|1|address)$")
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
  message(STATUS "pynq-remote: building with ASan and UBSan")
elseif(pynq_remote_sanitize STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
  message(STATUS "pynq-remote: building with TSan")
elseif(NOT pynq_remote_sanitize MATCHES "^(off|no|false|0|)$")
  message(FATAL_ERROR "PYNQ_REMOTE_SANITIZE must be OFF, address or thread, "
                      "not '${PYNQ_REMOTE_SANITIZE}'")
endif()

if(PYNQ_REMOTE_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
