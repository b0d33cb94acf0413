// Start-up of transport security and authentication: TLS credentials, the
// Authorizer, and pairing when a credentials folder is still empty.
#ifndef PYNQ_REMOTE_SERVER_SECURITY_H_
#define PYNQ_REMOTE_SERVER_SECURITY_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "core/authorizer.h"
#include "core/pairing.h"
#include "server_options.h"

namespace pynq_remote {

struct Security {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  std::shared_ptr<const Authorizer> authorizer;
  // Set while the credentials folder is empty: the server pairs.
  std::shared_ptr<Pairing> pairing;
};

// From --tls-cert/--tls-key/--client-ca/--tokens or --credentials-dir.
// Throws ConfigError naming the file that cannot be used.
Security make_security(const ServerOptions& options);

// What a user must know: --insecure's warning, or the pairing code.
void log_security(const ServerOptions& options, const Security& security,
                  const std::string& address);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVER_SECURITY_H_
