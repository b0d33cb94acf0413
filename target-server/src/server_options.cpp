#include "server_options.h"

#include <cstddef>
#include <initializer_list>

#include "core/board_config.h"
#include "core/limits.h"
#include "discovery/announcement.h"
#include "server_option_checks.h"

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
  } else if (name == "--tls-cert" || name == "--tls-key" ||
             name == "--client-ca" || name == "--tokens" ||
             name == "--credentials-dir") {
    if (value.empty()) throw OptionError(name + ": the path is empty");
    std::string* path = name == "--tls-cert"    ? &options->tls_cert
                        : name == "--tls-key"   ? &options->tls_key
                        : name == "--client-ca" ? &options->client_ca
                        : name == "--tokens"    ? &options->tokens
                                                : &options->credentials_dir;
    *path = value;
  } else if (name == "--pynq-remote-compat") {
    if (value == "on") {
      options->compat = CompatMode::kOn;
    } else if (value == "off") {
      options->compat = CompatMode::kOff;
    } else if (value == "only") {
      options->compat = CompatMode::kOnly;
    } else {
      throw OptionError(
          "--pynq-remote-compat: expected on, off or only, got '" + value +
          "'");
    }
  } else if (name == "--announce") {
    if (value != "on" && value != "off") {
      throw OptionError("--announce: expected on or off, got '" + value + "'");
    }
    options->announce = value == "on";
  } else if (name == "--mdns-name") {
    try {
      check_instance_name(value);
    } catch (const std::invalid_argument& error) {
      throw OptionError(std::string("--mdns-name: ") + error.what());
    }
    options->mdns_name = value;
  } else if (name == "--max-call-rate") {
    const std::optional<uint64_t> rate = parse_number(value);
    if (!rate) {
      throw OptionError("--max-call-rate: expected calls per second, got '" +
                        value + "'");
    }
    options->max_call_rate = static_cast<double>(*rate);
  } else {  // --platform
    if (!is_one_of(value, {"auto", "zynqmp", "zynq", "qemu-virt"})) {
      throw OptionError(
          "--platform: expected auto, zynqmp, zynq or qemu-virt, got '" +
          value + "'");
    }
    options->platform = value;
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
    if (arg == "--insecure") {
      options.insecure = true;
      continue;
    }
    const size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    if (!is_one_of(name,
                   {"--listen", "--backend", "--config", "--log-level",
                    "--mem-device", "--platform", "--session-memory-limit",
                    "--carveout", "--cache-dir", "--cache-bytes", "--tls-cert",
                    "--tls-key", "--client-ca", "--tokens", "--credentials-dir",
                    "--max-call-rate", "--pynq-remote-compat", "--announce",
                    "--mdns-name"})) {
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

}  // namespace pynq_remote
