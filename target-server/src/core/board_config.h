// Loading of board configuration files (protobuf text format, schema in
// config/board_config.proto).
#ifndef PYNQ_REMOTE_CORE_BOARD_CONFIG_H_
#define PYNQ_REMOTE_CORE_BOARD_CONFIG_H_

#include <cstdint>
#include <stdexcept>
#include <string>

#include "config/board_config.pb.h"
#include "core/access.h"

namespace pynq_remote {

// A configuration file that cannot be used; the message names the file.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads and parses `path`, then runs validate_board_config(). Throws
// ConfigError with messages starting "PATH: ".
config::BoardConfig load_board_config(const std::string& path);

// Checks what every backend relies on; messages do not name a file:
// validate_windows() and, when the config has one, the buffer pool.
void validate_board_config(const config::BoardConfig& config);

// Named windows with unique names, sizes above 0, 4 KiB aligned bases, no
// window past the end of the address space, no overlaps.
void validate_windows(const config::BoardConfig& config);

// Checks a range of physical memory meant for buffers: size above 0, base
// and size multiples of 4 KiB, no wrap past the end of the address space,
// no overlap with any of `windows`. `what` starts the messages, e.g.
// "buffer_pool" or "--carveout".
void check_buffer_range(const std::string& what, uint64_t base, uint64_t size,
                        const MmioWindows& windows);

// The allow-list a config describes.
MmioWindows windows_from_config(const config::BoardConfig& config);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_BOARD_CONFIG_H_
