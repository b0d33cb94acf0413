// Command-line options of pynq-remote-server.
#ifndef PYNQ_REMOTE_SERVER_OPTIONS_H_
#define PYNQ_REMOTE_SERVER_OPTIONS_H_

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/access.h"
#include "core/log.h"

namespace pynq_remote {

enum class BackendKind { kLinux, kSim };

// Which protocols the server speaks: pynq_remote.v1 and/or PYNQ.remote's.
enum class CompatMode { kOff, kOn, kOnly };

constexpr double kDefaultMaxCallRate = 20000;

struct ServerOptions {
  bool help = false;
  // HOST:PORT; port 0 picks a free port.
  std::string listen;
  BackendKind backend = BackendKind::kLinux;
  // Board config file; the sim backend falls back to the bundled one.
  std::string config;
  LogLevel log_level = LogLevel::kInfo;
  std::string mem_device = "/dev/mem";
  std::string platform = "auto";
  // Replaces the config's buffer_pool.session_limit_bytes; 0 means the
  // whole pool.
  std::optional<uint64_t> session_memory_limit;
  // linux: the buffer carve-out; replaces the config's buffer_pool.
  std::optional<AddressRange> carveout;
  // Bitstream cache folder. Empty: linux uses kDefaultLinuxCacheDir, the sim
  // a new temporary folder under $TMPDIR removed at exit.
  std::string cache_dir;
  // Byte budget of the bitstream cache.
  uint64_t cache_bytes = 0;

  // Transport security and authentication: PEM files.
  std::string tls_cert;
  std::string tls_key;
  std::string client_ca;  // verify client certificates against it
  std::string tokens;     // "ROLE NAME SHA256" lines
  // Holds server.pem, server.key and client-ca.pem; pairing fills it.
  std::string credentials_dir;
  // Serve a non-loopback address without credentials.
  bool insecure = false;
  // Calls per second each caller may make (burst: twice that); 0: no limit.
  double max_call_rate = kDefaultMaxCallRate;
  // --pynq-remote-compat: the PYNQ.remote services next to v1 (on), alone
  // (only), or not (off). Default: on for the sim when the address is
  // loopback or --insecure, off otherwise.
  std::optional<CompatMode> compat;
  // --announce: publish the server over mDNS/DNS-SD. Default: on for linux
  // on a non-loopback address (or with --mdns-name), off otherwise.
  std::optional<bool> announce;
  // --mdns-name: the DNS-SD instance name; empty: "BOARD@HOST".
  std::string mdns_name;
};

// Whether HOST of HOST:PORT is a loopback address.
bool is_loopback_listen(const std::string& listen);

constexpr char kDefaultLinuxCacheDir[] = "/var/cache/pynq-remote/bitstreams";

// A bad command line; the message names the option.
class OptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses the arguments after the program name and fills in the defaults
// that depend on the backend. Throws OptionError.
ServerOptions parse_server_options(const std::vector<std::string>& args);

// The text --help prints.
std::string server_usage();

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVER_OPTIONS_H_
