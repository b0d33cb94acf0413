#include "server_options.h"

#include <cstddef>
#include <initializer_list>

#include "core/board_config.h"
#include "core/limits.h"

namespace pynq_remote {
namespace {

bool is_one_of(const std::string& value,
               std::initializer_list<const char*> choices) {
  for (const char* choice : choices) {
    if (value == choice) return true;
  }
  return false;
}

void check_listen(const std::string& listen) {
  const size_t colon = listen.rfind(':');
  const std::string port =
      colon == std::string::npos ? "" : listen.substr(colon + 1);
  const bool port_ok =
      !port.empty() && port.size() <= 5 &&
      port.find_first_not_of("0123456789") == std::string::npos &&
      std::stoul(port) <= 65535;
  if (colon == 0 || colon == std::string::npos || !port_ok) {
    throw OptionError(
        "--listen: expected HOST:PORT with a port from 0 to "
        "65535, got '" +
        listen + "'");
  }
}

BackendKind parse_backend(const std::string& value) {
  if (value == "linux") return BackendKind::kLinux;
  if (value == "sim") return BackendKind::kSim;
  throw OptionError("--backend: expected linux or sim, got '" + value + "'");
}

LogLevel parse_log_level(const std::string& value) {
  if (value == "error") return LogLevel::kError;
  if (value == "warning") return LogLevel::kWarning;
  if (value == "info") return LogLevel::kInfo;
  if (value == "debug") return LogLevel::kDebug;
  throw OptionError(
      "--log-level: expected error, warning, info or debug, "
      "got '" +
      value + "'");
}

// A byte count or address: decimal, or hex after "0x".
std::optional<uint64_t> parse_number(const std::string& text) {
  const bool hex =
      text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string digits = hex ? text.substr(2) : text;
  const char* allowed = hex ? "0123456789abcdefABCDEF" : "0123456789";
  if (digits.empty() ||
      digits.find_first_not_of(allowed) != std::string::npos) {
    return std::nullopt;
  }
  const uint64_t base = hex ? 16 : 10;
  uint64_t value = 0;
  for (const char c : digits) {
    const uint64_t digit = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    if (value > (UINT64_MAX - digit) / base) return std::nullopt;
    value = value * base + digit;
  }
  return value;
}

uint64_t parse_bytes(const std::string& name, const std::string& value) {
  if (const std::optional<uint64_t> bytes = parse_number(value)) return *bytes;
  throw OptionError(name +
                    ": expected a number of bytes (decimal or 0x hex), got '" +
                    value + "'");
}

uint64_t parse_cache_bytes(const std::string& value) {
  const uint64_t bytes = parse_bytes("--cache-bytes", value);
  if (bytes >= kBufferPageBytes) return bytes;
  throw OptionError("--cache-bytes: expected at least 4096 bytes, got '" +
                    value + "'");
}

AddressRange parse_carveout(const std::string& value) {
  const size_t colon = value.find(':');
  const std::optional<uint64_t> base = parse_number(value.substr(0, colon));
  const std::optional<uint64_t> size =
      colon == std::string::npos ? std::nullopt
                                 : parse_number(value.substr(colon + 1));
  if (!base || !size) {
    throw OptionError(
        "--carveout: expected BASE:SIZE (decimal or 0x hex), got '" + value +
        "'");
  }
  try {
    check_buffer_range("--carveout", *base, *size, MmioWindows());
  } catch (const ConfigError& error) {
    throw OptionError(error.what());
  }
  return AddressRange{*base, *size};
}

// Stores `value` of the option `name` into `options`.
void apply(const std::string& name, const std::string& value,
           ServerOptions* options) {
  if (name == "--listen") {
    check_listen(value);
    options->listen = value;
  } else if (name == "--backend") {
    options->backend = parse_backend(value);
  } else if (name == "--config") {
    if (value.empty()) throw OptionError("--config: the path is empty");
    options->config = value;
  } else if (name == "--log-level") {
    options->log_level = parse_log_level(value);
  } else if (name == "--mem-device") {
    if (value.empty()) throw OptionError("--mem-device: the path is empty");
    options->mem_device = value;
  } else if (name == "--session-memory-limit") {
    options->session_memory_limit = parse_bytes(name, value);
  } else if (name == "--cache-dir") {
    if (value.empty()) throw OptionError("--cache-dir: the path is empty");
    options->cache_dir = value;
  } else if (name == "--cache-bytes") {
    options->cache_bytes = parse_cache_bytes(value);
  } else if (name == "--carveout") {
    options->carveout = parse_carveout(value);
  } else {  // --platform
    if (!is_one_of(value, {"auto", "zynqmp", "zynq", "qemu-virt"})) {
      throw OptionError(
          "--platform: expected auto, zynqmp, zynq or qemu-virt, got '" +
          value + "'");
    }
    options->platform = value;
  }
}

void apply_defaults(ServerOptions* options) {
  const bool sim = options->backend == BackendKind::kSim;
  if (options->listen.empty()) {
    options->listen = sim ? "127.0.0.1:7967" : "0.0.0.0:7967";
  }
  if (options->config.empty() && sim) {
    options->config = PYNQ_REMOTE_DEFAULT_SIM_CONFIG;
  }
  if (options->cache_dir.empty() && !sim) {
    options->cache_dir = kDefaultLinuxCacheDir;
  }
  if (options->cache_bytes == 0) {
    options->cache_bytes = kDefaultBitstreamCacheBytes;
  }
  if (options->carveout && sim) {
    throw OptionError(
        "--carveout: only the linux backend maps a carve-out; the sim takes "
        "buffer_pool from its config");
  }
}

}  // namespace

ServerOptions parse_server_options(const std::vector<std::string>& args) {
  ServerOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      return options;
    }
    if (arg.rfind("--", 0) != 0) {
      throw OptionError("unexpected argument '" + arg + "'");
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    if (!is_one_of(name, {"--listen", "--backend", "--config", "--log-level",
                          "--mem-device", "--platform",
                          "--session-memory-limit", "--carveout",
                          "--cache-dir", "--cache-bytes"})) {
      throw OptionError("unknown option '" + name + "'");
    }
    if (equals != std::string::npos) {
      apply(name, arg.substr(equals + 1), &options);
    } else if (i + 1 < args.size()) {
      apply(name, args[++i], &options);
    } else {
      throw OptionError(name + ": missing value");
    }
  }
  apply_defaults(&options);
  return options;
}

std::string server_usage() {
  // clang-format off
  return std::string(R"(Usage: pynq-remote-server [OPTIONS]

Serves the pynq-remote gRPC API for this board.

Options:
  --listen HOST:PORT   address to serve on; port 0 picks a free port
                       (default 0.0.0.0:7967 for linux, 127.0.0.1:7967 for sim)
  --backend linux|sim  real hardware or the simulated board (default linux)
  --config FILE        board config (protobuf text format)
                       linux: replaces the platform's built-in MMIO windows
                       sim: the board model, default
                       )") + PYNQ_REMOTE_DEFAULT_SIM_CONFIG + R"(
  --log-level LEVEL    error, warning, info or debug (default info)
  --mem-device PATH    linux: physical memory device (default /dev/mem)
  --platform NAME      linux: auto, zynqmp, zynq or qemu-virt; picks the
                       built-in MMIO windows (default auto: from the device
                       tree)
  --carveout BASE:SIZE linux: physical memory for DMA buffers, e.g.
                       0x60000000:0x20000000; memory the kernel does not
                       manage (mem= or a no-map reserved-memory node),
                       mapped through --mem-device; replaces the config's
                       buffer_pool
  --session-memory-limit BYTES
                       largest total of buffers one session may hold
                       (decimal or 0x hex; 0: the whole pool); replaces
                       the config's buffer_pool.session_limit_bytes
  --cache-dir PATH     folder of the bitstream cache (default linux:
                       /var/cache/pynq-remote/bitstreams; sim: a new
                       temporary folder removed at exit)
  --cache-bytes BYTES  byte budget of the bitstream cache; the least
                       recently used bitstreams are evicted beyond it
                       (decimal or 0x hex; default 536870912, 512 MiB)
  --help               print this help and exit

Once serving, prints "pynq-remote-server listening on HOST:PORT" on stdout.
)";
  // clang-format on
}

}  // namespace pynq_remote
