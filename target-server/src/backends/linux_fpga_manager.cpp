#include "backends/linux_fpga_manager.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/hex.h"
#include "core/status_error.h"
#include "core/unique_fd.h"

namespace pynq_remote {
namespace {

// One write() of `text`, as sysfs and configfs attributes want; 0 or errno.
int write_attribute(const std::string& path, const std::string& text,
                    int extra_flags = 0) {
  UniqueFd file(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC |
                                         extra_flags,
                       0644));
  if (!file.valid()) return errno;
  const ssize_t written = ::write(file.get(), text.data(), text.size());
  if (written < 0) return errno;
  return static_cast<size_t>(written) == text.size() ? 0 : EIO;
}

std::string read_attribute(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  std::string value = text.str();
  while (!value.empty() && (value.back() == '\n' || value.back() == '\0')) {
    value.pop_back();
  }
  return value;
}

std::string manager_state(const LinuxPaths& paths) {
  const std::string state = read_attribute(paths.fpga_manager_state);
  return state.empty() ? "unknown" : state;
}

StatusError refused(const std::string& what, const std::string& path,
                    int error) {
  return StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                     what + ": writing " + path + " failed: " +
                         std::strerror(error));
}

void set_firmware_dir(const LinuxPaths& paths,
                      const std::string& firmware_dir) {
  if (read_attribute(paths.firmware_search_path) == firmware_dir) return;
  if (const int error =
          write_attribute(paths.firmware_search_path, firmware_dir)) {
    throw refused("cannot point the kernel's firmware search path at the "
                  "bitstream cache",
                  paths.firmware_search_path, error);
  }
}

}  // namespace

void check_inside_apertures(const DesignWindow& window,
                            const MmioWindows& apertures) {
  if (apertures.find(window.base, window.size) != nullptr) return;
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    "design window '" + window.name + "' (" +
                        to_hex(window.base) + ", " +
                        std::to_string(window.size) +
                        " bytes) lies outside the PL apertures of this board");
}

void require_fpga_manager(const LinuxPaths& paths) {
  switch (detect_fpga_load_interface(paths)) {
    case FpgaLoadInterface::kFirmwareAttribute:
      return;
    case FpgaLoadInterface::kNoManager:
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                        "this board has no FPGA manager (" +
                            paths.fpga_manager_state.substr(
                                0, paths.fpga_manager_state.rfind('/')) +
                            " is missing), so it cannot load bitstreams");
    case FpgaLoadInterface::kNone:
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                        "this kernel's " + describe_fpga_manager(paths) +
                            ", so it cannot load bitstreams");
  }
}

void load_bitstream(const LinuxPaths& paths, const std::string& firmware_dir,
                    const ProgramRequest& request) {
  set_firmware_dir(paths, firmware_dir);
  if (const int error = write_attribute(paths.fpga_manager_flags,
                                        request.partial ? "1" : "0")) {
    throw refused("cannot set the FPGA manager flags", paths.fpga_manager_flags,
                  error);
  }
  if (const int error = write_attribute(paths.fpga_manager_firmware,
                                        request.bitstream_file_name)) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "the FPGA manager refused " +
                          request.bitstream_file_name + ": " +
                          std::strerror(error) + " (manager state '" +
                          manager_state(paths) + "')");
  }
  const std::string state = manager_state(paths);
  if (state != "operating") {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "programming " + request.bitstream_file_name +
                          " failed: the FPGA manager reports '" + state + "'");
  }
}

void remove_overlay(const LinuxPaths& paths) {
  const std::string entry = paths.overlays + "/" + kOverlayEntry;
  if (::rmdir(entry.c_str()) == 0 || errno == ENOENT) return;
  throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                    "cannot remove the previous device-tree overlay " + entry +
                        ": " + std::strerror(errno));
}

void apply_overlay(const LinuxPaths& paths, const std::string& dtbo) {
  const std::string entry = paths.overlays + "/" + kOverlayEntry;
  if (::mkdir(entry.c_str(), 0755) != 0) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "cannot create the device-tree overlay " + entry + ": " +
                          std::strerror(errno) +
                          " (is configfs mounted with overlay support?)");
  }
  // configfs creates the attribute with the entry; O_CREAT serves tests.
  if (const int error = write_attribute(entry + "/dtbo", dtbo, O_CREAT)) {
    ::rmdir(entry.c_str());
    throw refused("the kernel refused the device-tree overlay", entry + "/dtbo",
                  error);
  }
}

}  // namespace pynq_remote
