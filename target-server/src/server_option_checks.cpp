// Checks across options, and the defaults that depend on other options.
#include "server_option_checks.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string>

#include "core/limits.h"

namespace pynq_remote {
namespace {

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

bool is_loopback_address(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(address);
    return (ntohl(v4.sin_addr.s_addr) >> 24) == 127;
  }
  if (address.sa_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(address);
    return IN6_IS_ADDR_LOOPBACK(&v6.sin6_addr) ||
           (IN6_IS_ADDR_V4MAPPED(&v6.sin6_addr) &&
            v6.sin6_addr.s6_addr[12] == 127);
  }
  return false;
}

}  // namespace

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


bool is_loopback_listen(const std::string& listen) {
  std::string host = listen.substr(0, listen.rfind(':'));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) return false;
  // A literal address is judged as it is; a name ("localhost" among them)
  // by every address it resolves to, since that is what gRPC binds.
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
  bool loopback = true;
  for (const addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    loopback = loopback && is_loopback_address(*entry->ai_addr);
  }
  ::freeaddrinfo(found);
  return loopback;
}

}  // namespace pynq_remote
