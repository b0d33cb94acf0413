#include "server_security.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/board_config.h"
#include "core/log.h"

namespace pynq_remote {
namespace {

// The PEM files a TLS server uses, wherever they came from.
struct TlsFiles {
  std::string certificate;
  std::string key;
  std::string client_ca;  // empty: no client certificates
};

std::string read_file(const std::string& path, const std::string& what) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  if (!file) {
    throw ConfigError(what + " " + path + ": cannot read: " +
                      std::strerror(errno));
  }
  return text.str();
}

void warn_if_readable_by_others(const std::string& key_path) {
  struct stat key_stat {};
  if (::stat(key_path.c_str(), &key_stat) == 0 &&
      (key_stat.st_mode & 077) != 0) {
    log_warning("TLS key " + key_path +
                " can be read by other users; chmod 600 it");
  }
}

std::shared_ptr<grpc::ServerCredentials> tls_credentials(
    const std::string& certificate_pem, const std::string& key_pem,
    const std::string& client_ca_pem) {
  grpc::SslServerCredentialsOptions ssl(
      client_ca_pem.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                            : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  ssl.pem_key_cert_pairs.push_back({key_pem, certificate_pem});
  ssl.pem_root_certs = client_ca_pem;
  return grpc::SslServerCredentials(ssl);
}

AuthorizerSettings base_settings(const ServerOptions& options) {
  AuthorizerSettings settings;
  if (!options.tokens.empty()) {
    try {
      settings.tokens = parse_tokens(read_file(options.tokens, "--tokens"));
    } catch (const std::invalid_argument& error) {
      throw ConfigError("--tokens " + options.tokens + ": " + error.what());
    }
  }
  settings.insecure_network =
      options.insecure && !is_loopback_listen(options.listen);
  settings.calls_per_second = options.max_call_rate;
  settings.burst = 2 * options.max_call_rate;
  return settings;
}

TlsFiles tls_files(const ServerOptions& options) {
  if (options.credentials_dir.empty()) {
    return {options.tls_cert, options.tls_key, options.client_ca};
  }
  const CredentialFiles files = credential_files(options.credentials_dir);
  return {files.server_certificate, files.server_key, files.client_ca};
}

}  // namespace

Security make_security(const ServerOptions& options) {
  Security security;
  AuthorizerSettings settings = base_settings(options);
  if (!options.credentials_dir.empty() &&
      !has_credentials(options.credentials_dir)) {
    security.pairing = std::make_shared<Pairing>(options.credentials_dir);
    security.credentials =
        tls_credentials(security.pairing->tls_certificate_pem(),
                        security.pairing->tls_key_pem(), "");
    settings.pairing = true;
  } else if (const TlsFiles files = tls_files(options);
             !files.certificate.empty()) {
    warn_if_readable_by_others(files.key);
    const std::string client_ca =
        files.client_ca.empty() ? "" : read_file(files.client_ca, "client CA");
    security.credentials =
        tls_credentials(read_file(files.certificate, "TLS certificate"),
                        read_file(files.key, "TLS key"), client_ca);
    settings.client_certificates = !client_ca.empty();
  } else {
    security.credentials = grpc::InsecureServerCredentials();
  }
  security.authorizer = std::make_shared<const Authorizer>(std::move(settings));
  return security;
}

void log_security(const ServerOptions& options, const Security& security,
                  const std::string& address) {
  if (security.pairing) {
    log_warning("not paired yet; on the host run:  pynq-remote pair " +
                address + " --code " + security.pairing->code());
  } else if (options.insecure && !is_loopback_listen(options.listen)) {
    log_warning("--insecure: " + address +
                " serves anyone who reaches it, without authentication or "
                "encryption");
  } else if (security.authorizer->is_open()) {
    log_info("no credentials configured: loopback callers are operators");
  }
}

}  // namespace pynq_remote
