// Loading of board configuration files (protobuf text format, schema in
// config/board_config.proto).
#ifndef PYNQ_REMOTE_CORE_BOARD_CONFIG_H_
#define PYNQ_REMOTE_CORE_BOARD_CONFIG_H_

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

// Reads and parses `path`, then checks what every backend relies on: named
// windows with unique names, sizes above 0, 4 KiB aligned bases, no window
// past the end of the address space, no overlaps. Throws ConfigError.
config::BoardConfig load_board_config(const std::string& path);

// The same checks on an already parsed config; messages do not name a file.
void validate_windows(const config::BoardConfig& config);

// The allow-list a config describes.
MmioWindows windows_from_config(const config::BoardConfig& config);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_BOARD_CONFIG_H_
