// Helpers the RemoteDeviceAdapter's translation files share: the errors
// of its file calls and plain descriptor I/O for staging firmware.
#ifndef PYNQ_REMOTE_COMPAT_REMOTE_DEVICE_SUPPORT_H_
#define PYNQ_REMOTE_COMPAT_REMOTE_DEVICE_SUPPORT_H_

#include <cstddef>
#include <string>

#include "core/status_error.h"

namespace pynq_remote::compat_io {

// Longest content of the FPGA manager's flags and firmware files.
constexpr size_t kMaxSysfsWriteBytes = 256;
// Chunk of a readfile answer and of the firmware copy into the cache.
constexpr size_t kFileChunkBytes = 1024 * 1024;

// `text` without leading and trailing blanks and line ends.
std::string trimmed(const std::string& text);
// The error for a path outside the sandbox: PERMISSION_DENIED for a write,
// NOT_FOUND for a read, each naming what the protocol may touch.
StatusError outside_sandbox(const std::string& wire_path, bool write);
StatusError cancelled();

// Writes all of `data` to `fd`; RESOURCE_EXHAUSTED when the disk is full.
void write_all(int fd, const std::string& data);
// Up to `size` bytes from `fd`; fewer only at its end.
std::string read_some(int fd, size_t size);

}  // namespace pynq_remote::compat_io

#endif  // PYNQ_REMOTE_COMPAT_REMOTE_DEVICE_SUPPORT_H_
