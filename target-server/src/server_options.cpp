#include "server_options.h"

#include <cstddef>
#include <initializer_list>

#include "core/board_config.h"
#include "core/limits.h"
#include "discovery/announcement.h"

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

// Secure by default: a server others can reach needs TLS and a way to
// authenticate callers, unless --insecure says otherwise.
void check_security(const ServerOptions& options) {
  if (!options.credentials_dir.empty() &&
      (!options.tls_cert.empty() || !options.client_ca.empty())) {
    throw OptionError(
        "--credentials-dir replaces --tls-cert, --tls-key and --client-ca");
  }
  const bool paired = !options.credentials_dir.empty();
  const bool tls = !options.tls_cert.empty() || paired;
  if (!options.tls_cert.empty() != !options.tls_key.empty()) {
    throw OptionError("--tls-cert and --tls-key go together");
  }
  if (!options.client_ca.empty() && !tls) {
    throw OptionError(
        "--client-ca: client certificates need TLS (--tls-cert, --tls-key)");
  }
  const bool authenticates =
      !options.client_ca.empty() || !options.tokens.empty() || paired;
  if (options.insecure && (tls || authenticates)) {
    throw OptionError("--insecure cannot be combined with credentials");
  }
  if (options.insecure || is_loopback_listen(options.listen)) return;
  if (!tls || !authenticates) {
    throw OptionError(
        "refusing to serve " + options.listen +
        " without credentials: give --tls-cert and --tls-key with "
        "--client-ca and/or --tokens (see 'pynq-remote pki'), or --insecure "
        "to let anyone on the network control this board");
  }
}

// Announcing a loopback address would only point others at nothing.
void apply_announce_default(ServerOptions* options) {
  const bool loopback = is_loopback_listen(options->listen);
  if (!options->announce) {
    options->announce =
        !options->mdns_name.empty() ||
        (options->backend == BackendKind::kLinux && !loopback);
  }
  if (*options->announce && loopback) {
    throw OptionError(std::string(options->mdns_name.empty() ? "--announce"
                                                             : "--mdns-name") +
                      ": " + options->listen +
                      " is a loopback address, which other machines cannot "
                      "reach; listen on a network address to announce it");
  }
  if (!*options->announce && !options->mdns_name.empty()) {
    throw OptionError(
        "--mdns-name: the server does not announce itself (--announce off)");
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
  check_security(*options);
  // The PYNQ.remote protocol cannot authenticate: off the loopback it needs
  // --insecure.
  const bool open_to_it =
      options->insecure || is_loopback_listen(options->listen);
  if (!options->compat) {
    options->compat = sim && open_to_it ? CompatMode::kOn : CompatMode::kOff;
  } else if (*options->compat != CompatMode::kOff && !open_to_it) {
    throw OptionError(
        "--pynq-remote-compat: the PYNQ.remote protocol cannot authenticate "
        "its callers, so serving it on " +
        options->listen +
        " needs --insecure (anyone on the network then controls the board); "
        "keep it on a loopback address or off");
  }
  if (options->carveout && sim) {
    throw OptionError(
        "--carveout: only the linux backend maps a carve-out; the sim takes "
        "buffer_pool from its config");
  }
  apply_announce_default(options);
}

}  // namespace

bool is_loopback_listen(const std::string& listen) {
  const std::string host = listen.substr(0, listen.rfind(':'));
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

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
  --tls-cert FILE, --tls-key FILE
                       serve TLS with this certificate and key (PEM)
  --client-ca FILE     accept client certificates signed by this CA (PEM);
                       a certificate's OU is its role: operator or reader
  --tokens FILE        accept bearer tokens: lines "ROLE NAME SHA256", the
                       SHA256 being that of the token (pynq-remote pki token)
  --credentials-dir DIR
                       TLS and client CA from DIR (server.pem, server.key,
                       client-ca.pem); while they are missing the server
                       pairs: it prints a code for 'pynq-remote pair', which
                       fills DIR, and then serves with mutual TLS
  --insecure           serve a non-loopback address without TLS or
                       credentials: anyone who reaches the port controls the
                       board (warned at start and for every connection)
  --max-call-rate N    calls per second one caller may make, bursts of 2N
                       (default 20000; 0: no limit)
  --pynq-remote-compat on|off|only
                       also serve the PYNQ.remote protocol of the `pynq`
                       host package (on), only that protocol (only), or not
                       (off). Its clients cannot authenticate: off loopback
                       it needs --insecure. Default: on for sim on loopback
                       or with --insecure, else off
  --announce on|off    announce the server over mDNS/DNS-SD as
                       _pynq-remote._tcp, with the board, versions, loaded
                       design and TLS in its TXT record (default: on for
                       linux on a non-loopback address, off for sim)
  --mdns-name NAME     the name announced (default BOARD@HOST, e.g.
                       zcu104@pynq); implies --announce on
  --help               print this help and exit

Secure by default: a non-loopback --listen needs --credentials-dir, or
--tls-cert/--tls-key with --client-ca and/or --tokens, or --insecure. Health checks need no
credentials.

Once serving, prints "pynq-remote-server listening on HOST:PORT" on stdout.
)";
  // clang-format on
}

}  // namespace pynq_remote
