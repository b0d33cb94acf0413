# pynq_remote_generate_proto(<out_sources_var>
#                            IMPORT_ROOT <dir>
#                            PROTOS <file>...
#                            [IMPORT_PATHS <dir>...]
#                            [GRPC])
#
# Runs protoc on PROTOS (paths under IMPORT_ROOT; imports are also looked up
# in IMPORT_PATHS) and writes the C++ message
# code, plus the gRPC service code when GRPC is given, into
# ${CMAKE_CURRENT_BINARY_DIR}/proto. Appends the generated .cc files to
# <out_sources_var>.
function(pynq_remote_generate_proto out_sources)
  cmake_parse_arguments(ARG "GRPC" "IMPORT_ROOT" "PROTOS;IMPORT_PATHS" ${ARGN})
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/proto")
  file(MAKE_DIRECTORY "${out_dir}")

  set(sources ${${out_sources}})
  foreach(proto IN LISTS ARG_PROTOS)
    get_filename_component(proto "${proto}" ABSOLUTE)
    file(RELATIVE_PATH relative "${ARG_IMPORT_ROOT}" "${proto}")
    string(REGEX REPLACE "\\.proto$" "" stem "${relative}")

    set(outputs "${out_dir}/${stem}.pb.cc" "${out_dir}/${stem}.pb.h")
    set(arguments "--cpp_out=${out_dir}")
    foreach(path IN LISTS ARG_IMPORT_PATHS)
      list(APPEND arguments "--proto_path=${path}")
    endforeach()
    if(ARG_GRPC)
      list(APPEND outputs "${out_dir}/${stem}.grpc.pb.cc"
                          "${out_dir}/${stem}.grpc.pb.h")
      list(APPEND arguments "--grpc_out=${out_dir}"
           "--plugin=protoc-gen-grpc=${PYNQ_REMOTE_GRPC_PLUGIN}")
    endif()

    add_custom_command(
      OUTPUT ${outputs}
      COMMAND "${PYNQ_REMOTE_PROTOC}" "--proto_path=${ARG_IMPORT_ROOT}"
              ${arguments} "${proto}"
      DEPENDS "${proto}"
      COMMENT "Generating C++ code from ${relative}"
      VERBATIM)
    list(FILTER outputs INCLUDE REGEX "\\.cc$")
    list(APPEND sources ${outputs})
  endforeach()
  set(${out_sources} ${sources} PARENT_SCOPE)
endfunction()
