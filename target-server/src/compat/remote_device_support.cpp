#include "compat/remote_device_support.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "compat/file_sandbox.h"

namespace pynq_remote::compat_io {

std::string trimmed(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t\r\n");
  return text.substr(begin, end - begin + 1);
}

StatusError outside_sandbox(const std::string& wire_path, bool write) {
  if (write) {
    return StatusError(grpc::StatusCode::PERMISSION_DENIED,
                       "writing '" + printable_path(wire_path) +
                           "' is not allowed: PYNQ.remote clients may write "
                           "/lib/firmware/<name>, the FPGA manager's firmware "
                           "and flags, and /tmp/<name>");
  }
  return StatusError(grpc::StatusCode::NOT_FOUND,
                     "no file '" + printable_path(wire_path) +
                         "': PYNQ.remote clients may read /proc/version, "
                         "/proc/device-tree/chosen/pynq_board, the FPGA "
                         "manager's flags and state, and /tmp/<name>");
}

StatusError cancelled() {
  return StatusError(grpc::StatusCode::CANCELLED,
                     "the client cancelled the call");
}

void write_all(int fd, const std::string& data) {
  const char* next = data.data();
  size_t left = data.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, next, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw StatusError(
          errno == ENOSPC ? grpc::StatusCode::RESOURCE_EXHAUSTED
                          : grpc::StatusCode::INTERNAL,
          std::string("cannot stage firmware: ") + std::strerror(errno));
    }
    next += written;
    left -= static_cast<size_t>(written);
  }
}

std::string read_some(int fd, size_t size) {
  std::string data(size, '\0');
  size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd, data.data() + done, size - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw StatusError(
          grpc::StatusCode::INTERNAL,
          std::string("cannot read a file: ") + std::strerror(errno));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  data.resize(done);
  return data;
}

}  // namespace pynq_remote::compat_io
