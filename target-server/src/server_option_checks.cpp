// Checks across options, and the defaults that depend on other options.
#include "server_option_checks.h"

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
  const std::string host = listen.substr(0, listen.rfind(':'));
  return host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace pynq_remote
