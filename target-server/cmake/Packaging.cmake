# The .deb of pynq-remote-server for Debian and Ubuntu boards (CPack's DEB
# generator): the server, the sim board, a systemd unit with its options in
# /etc/default, a system user, and the documentation lintian expects.
# scripts/build-packages.sh runs `cpack -G DEB` in each build folder.
#
# Debian's packages install to /usr; the server looks for the sim board in
# /usr/share/pynq-remote (configure with
# -DPYNQ_REMOTE_DEFAULT_SIM_CONFIG=/usr/share/pynq-remote/sim-board.textproto).

# Debian's hardening flags (dpkg-buildflags), for everything built after this.
add_compile_options(-D_FORTIFY_SOURCE=2 -fstack-protector-strong)
add_link_options(-Wl,-z,relro -Wl,-z,now)

set(pkg "${CMAKE_CURRENT_SOURCE_DIR}/packaging")
set(doc "${CMAKE_INSTALL_DATADIR}/doc/pynq-remote-server")
set(gen "${CMAKE_CURRENT_BINARY_DIR}/packaging")

# Compressed as Debian does: no name or time stamp inside (gzip -n).
# A native package (the version has no Debian revision): changelog, not changelog.Debian.
configure_file("${pkg}/changelog.in" "${gen}/changelog" @ONLY)
foreach(file changelog pynq-remote-server.1)
  if(file STREQUAL "changelog")
    set(input "${gen}/${file}")
  else()
    set(input "${pkg}/${file}")
  endif()
  execute_process(COMMAND gzip -9nc "${input}" OUTPUT_FILE "${gen}/${file}.gz"
                  COMMAND_ERROR_IS_FATAL ANY)
endforeach()

install(FILES "${pkg}/pynq-remote-server.service"
        DESTINATION /lib/systemd/system)
install(FILES "${pkg}/pynq-remote-server.default"
        DESTINATION /etc/default RENAME pynq-remote-server)
install(FILES "${pkg}/copyright" "${pkg}/README.Debian" "${gen}/changelog.gz"
        DESTINATION "${doc}")
install(FILES "${pkg}/lintian-overrides" DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides"
        RENAME pynq-remote-server)
install(FILES "${gen}/pynq-remote-server.1.gz"
        DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME pynq-remote-server)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "remote control of AMD Zynq boards over gRPC")
# The synopsis is the summary above; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "pynq-remote-server serves MMIO, contiguous buffers, bitstream loading,\n\
GPIO, interrupts and clocks of a Zynq or Zynq UltraScale+ board to the\n\
pynq-remote Python library on a host computer, over gRPC with TLS.\n\
It can also serve a simulated board.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER
    "pynq-remote maintainers <pynq-remote@users.noreply.github.com>")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/pynq-remote/pynq-remote")
# Depends: the distribution's gRPC, protobuf, OpenSSL and avahi libraries.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${pkg}/conffiles" "${pkg}/postinst" "${pkg}/prerm" "${pkg}/postrm")
if(CMAKE_CROSSCOMPILING)
  # The Debian name of the target's architecture (arm64, armhf).
  if(CMAKE_SYSTEM_PROCESSOR STREQUAL "aarch64")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE arm64)
  elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^arm")
    set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE armhf)
  endif()
endif()
include(CPack)
