// Who is calling and what they may do. Callers prove who they are with a
// client certificate signed by the server's client CA (their role is the
// certificate's OU) or a bearer token listed in the tokens file. A server
// without either is open: every caller is an operator, which the server
// allows only on loopback or with --insecure.
#ifndef PYNQ_REMOTE_CORE_AUTHORIZER_H_
#define PYNQ_REMOTE_CORE_AUTHORIZER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/status_error.h"

namespace pynq_remote {

// Ordered: an operator may do all a reader may.
enum class Role { kReader = 1, kOperator = 2 };

// "reader" or "operator"; nullopt-like false when neither.
bool parse_role(const std::string& text, Role* role);
const char* role_name(Role role);

struct Caller {
  std::string identity;  // certificate CN, token name, or the peer when open
  Role role = Role::kReader;
};

// One line of the tokens file: "ROLE NAME SHA256-OF-TOKEN".
struct TokenEntry {
  Role role = Role::kReader;
  std::string name;
  std::string sha256;
};

// Parses a tokens file's text; blank lines and '#' comments are skipped.
// Throws std::invalid_argument naming the line.
std::vector<TokenEntry> parse_tokens(const std::string& text);

struct AuthorizerSettings {
  // Accept client certificates that gRPC verified against the client CA.
  bool client_certificates = false;
  std::vector<TokenEntry> tokens;
  // Open and reachable from the network: warn once per connection.
  bool insecure_network = false;
  // Unpaired: every call but pairing is UNAUTHENTICATED.
  bool pairing = false;
  // Calls per second and burst each caller may make; 0: unlimited.
  double calls_per_second = 0;
  double burst = 0;
};

class Authorizer {
 public:
  // Every caller is an operator (loopback or --insecure servers, tests).
  static std::shared_ptr<const Authorizer> open();

  explicit Authorizer(AuthorizerSettings settings);

  bool is_open() const {
    return !settings_.client_certificates && settings_.tokens.empty() &&
           !settings_.pairing;
  }

  // The caller of `context`, allowed to call `method` as `role`:
  // UNAUTHENTICATED without valid credentials, PERMISSION_DENIED for a
  // reader calling an operator method, RESOURCE_EXHAUSTED above the call
  // rate. Operator calls are logged with the caller's identity.
  Caller require(const grpc::ServerContextBase& context, Role role,
                 const char* method) const;

  // A call that may last (a poll, a stream, an upload, a watch) holds one
  // of these while it runs.
  class LongCall {
   public:
    LongCall(const Authorizer* authorizer, std::string identity)
        : authorizer_(authorizer), identity_(std::move(identity)) {}
    ~LongCall();
    LongCall(const LongCall&) = delete;
    LongCall& operator=(const LongCall&) = delete;

   private:
    const Authorizer* authorizer_;
    std::string identity_;
  };

  // A place for `caller`'s call `method` that may last: RESOURCE_EXHAUSTED
  // when the caller has kMaxLongCallsPerCaller open or the server
  // kMaxLongCalls, which keeps threads free for everyone's short calls.
  std::unique_ptr<LongCall> begin_long_call(const Caller& caller,
                                            const char* method) const;

  // Long calls open now, for tests.
  int long_calls() const;

 private:
  Caller identify(const grpc::ServerContextBase& context) const;
  bool from_token(const grpc::ServerContextBase& context, Caller* caller) const;
  bool from_certificate(const grpc::ServerContextBase& context,
                        Caller* caller) const;
  void throttle(const Caller& caller) const;
  void warn_new_connection(const std::string& peer) const;

  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point updated;
  };

  AuthorizerSettings settings_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Bucket> buckets_;
  mutable std::map<std::string, int> long_calls_of_caller_;
  mutable int long_calls_ = 0;
  mutable std::set<std::string> peers_warned_;
  // Certificate PEM -> caller, so each certificate is parsed once.
  mutable std::map<std::string, Caller> certificate_callers_;
};

// run_rpc() that first lets `authorizer` check the caller for `role`.
template <typename Body>
grpc::Status run_authorized(const Authorizer& authorizer, Role role,
                            const char* method,
                            grpc::ServerContextBase* context, Body&& body) {
  return run_rpc(method, context, [&] {
    authorizer.require(*context, role, method);
    std::forward<Body>(body)();
  });
}

// run_authorized() for a call that may last: the caller also needs a place
// among the long calls (Authorizer::begin_long_call) while `body` runs.
template <typename Body>
grpc::Status run_long_authorized(const Authorizer& authorizer, Role role,
                                 const char* method,
                                 grpc::ServerContextBase* context,
                                 Body&& body) {
  return run_rpc(method, context, [&] {
    const Caller caller = authorizer.require(*context, role, method);
    const auto place = authorizer.begin_long_call(caller, method);
    std::forward<Body>(body)();
  });
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_AUTHORIZER_H_
