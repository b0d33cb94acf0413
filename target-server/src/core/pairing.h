// Pairing: how a fresh board gets its TLS identity from the user's CA
// without its private key ever leaving the board. Until paired, the server
// serves TLS with a throw-away self-signed certificate and prints a code:
// the first 8 hex digits of that certificate's sha256 (so the client can
// tell it reached this board) and 6 secret digits (so the board can tell
// the client saw its console). The client proves the code, gets a request
// for a new board key, and returns it signed by its CA with that CA; the
// server stores all three in its credentials folder and restarts serving
// with mutual TLS.
#ifndef PYNQ_REMOTE_CORE_PAIRING_H_
#define PYNQ_REMOTE_CORE_PAIRING_H_

#include <mutex>
#include <optional>
#include <string>

#include "core/certificates.h"

namespace pynq_remote {

// The files of a credentials folder.
struct CredentialFiles {
  std::string server_certificate;  // server.pem
  std::string server_key;          // server.key, mode 0600
  std::string client_ca;           // client-ca.pem
};

CredentialFiles credential_files(const std::string& folder);
// Whether all three files exist.
bool has_credentials(const std::string& folder);

class Pairing {
 public:
  static constexpr int kMaxWrongCodes = 5;
  static constexpr char kServerName[] = "pynq-remote-pairing";

  // Makes the throw-away TLS identity and the code. Throws
  // std::runtime_error when libcrypto fails.
  explicit Pairing(std::string folder);

  const std::string& tls_certificate_pem() const { return tls_certificate_; }
  std::string tls_key_pem() const { return tls_key_.private_pem(); }
  const std::string& code() const { return code_; }

  // Step 1: a certificate request for the board's new key.
  // UNAUTHENTICATED for a wrong code; after kMaxWrongCodes of them,
  // RESOURCE_EXHAUSTED until the server restarts.
  std::string begin(const std::string& code);
  // Step 2: checks the certificate (for the requested key, signed by
  // `client_ca_pem`) and writes the credentials folder. INVALID_ARGUMENT
  // when the certificates do not fit, FAILED_PRECONDITION before begin().
  void complete(const std::string& code, const std::string& certificate_pem,
                const std::string& client_ca_pem);

 private:
  void check_code(const std::string& code);

  std::string folder_;
  KeyPair tls_key_;
  std::string tls_certificate_;
  std::string code_;
  std::mutex mutex_;
  int wrong_codes_ = 0;
  std::optional<KeyPair> board_key_;
  bool completed_ = false;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_PAIRING_H_
