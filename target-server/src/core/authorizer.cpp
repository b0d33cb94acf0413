#include "core/authorizer.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdint>
#include <sstream>
#include <stdexcept>

#include "core/limits.h"
#include "core/log.h"
#include "core/sha256.h"

namespace pynq_remote {
namespace {

constexpr size_t kMaxRemembered = 4096;
constexpr char kBearerPrefix[] = "Bearer ";

std::string text_by_nid(X509_NAME* name, int nid) {
  char text[256];
  const int length = X509_NAME_get_text_by_NID(name, nid, text, sizeof(text));
  return length > 0 ? std::string(text, length) : std::string();
}

// The subject's CN and OU of a PEM certificate; false when it does not parse.
bool certificate_subject(const std::string& pem, std::string* common_name,
                         std::string* unit) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return false;
  std::unique_ptr<X509, decltype(&X509_free)> certificate(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!certificate) return false;
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  *common_name = text_by_nid(subject, NID_commonName);
  *unit = text_by_nid(subject, NID_organizationalUnitName);
  return true;
}

std::string token_sha256(const std::string& token) {
  Sha256 hash;
  hash.update(token.data(), token.size());
  return hash.hex_digest();
}

StatusError unauthenticated(const std::string& why) {
  return StatusError(grpc::StatusCode::UNAUTHENTICATED, why);
}

}  // namespace

bool parse_role(const std::string& text, Role* role) {
  if (text == "reader") {
    *role = Role::kReader;
    return true;
  }
  if (text == "operator") {
    *role = Role::kOperator;
    return true;
  }
  return false;
}

const char* role_name(Role role) {
  return role == Role::kOperator ? "operator" : "reader";
}

std::vector<TokenEntry> parse_tokens(const std::string& text) {
  std::vector<TokenEntry> tokens;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::istringstream words(line);
    std::string role, name, sha256, extra;
    words >> role;
    if (role.empty() || role[0] == '#') continue;
    words >> name >> sha256 >> extra;
    TokenEntry entry;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (!parse_role(role, &entry.role)) {
      throw std::invalid_argument(where + "role '" + role +
                                  "' is not 'reader' or 'operator'");
    }
    if (name.empty() || !is_sha256_hex(sha256) || !extra.empty()) {
      throw std::invalid_argument(
          where + "expected 'ROLE NAME SHA256', the SHA256 being 64 lowercase "
                  "hex digits of the token's sha256");
    }
    entry.name = name;
    entry.sha256 = sha256;
    tokens.push_back(entry);
  }
  return tokens;
}

std::shared_ptr<const Authorizer> Authorizer::open() {
  static const auto open_authorizer =
      std::make_shared<const Authorizer>(AuthorizerSettings{});
  return open_authorizer;
}

Authorizer::Authorizer(AuthorizerSettings settings)
    : settings_(std::move(settings)) {}

Caller Authorizer::require(const grpc::ServerContextBase& context, Role role,
                           const char* method) const {
  const Caller caller = identify(context);
  if (caller.role < role) {
    throw StatusError(grpc::StatusCode::PERMISSION_DENIED,
                      "'" + caller.identity + "' is a " +
                          role_name(caller.role) + " and may not call " +
                          method + ", which needs an operator");
  }
  throttle(caller);
  if (role == Role::kOperator && log_enabled(LogLevel::kInfo)) {
    log_info(caller.identity + ": " + method);
  }
  return caller;
}

Caller Authorizer::identify(const grpc::ServerContextBase& context) const {
  if (is_open()) {
    if (settings_.insecure_network) warn_new_connection(context.peer());
    return Caller{context.peer(), Role::kOperator};
  }
  if (settings_.pairing) {
    throw unauthenticated(
        "this board is not paired yet: run 'pynq-remote pair HOST --code "
        "CODE' with the code in the board's log");
  }
  Caller caller;
  if (from_token(context, &caller)) return caller;
  if (from_certificate(context, &caller)) return caller;
  throw unauthenticated(
      "this server needs credentials: a client certificate signed by its "
      "client CA, or an 'authorization: Bearer TOKEN' header");
}

bool Authorizer::from_token(const grpc::ServerContextBase& context,
                            Caller* caller) const {
  // A server without tokens judges the caller by its certificate alone.
  if (settings_.tokens.empty()) return false;
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found == metadata.end()) return false;
  const std::string value(found->second.data(), found->second.size());
  if (value.rfind(kBearerPrefix, 0) != 0) {
    throw unauthenticated("the authorization header is not a bearer token "
                          "this server accepts");
  }
  const std::string sha256 = token_sha256(value.substr(sizeof(kBearerPrefix) - 1));
  for (const TokenEntry& entry : settings_.tokens) {
    if (CRYPTO_memcmp(entry.sha256.data(), sha256.data(), sha256.size()) == 0) {
      *caller = Caller{entry.name, entry.role};
      return true;
    }
  }
  throw unauthenticated("unknown bearer token");
}

bool Authorizer::from_certificate(const grpc::ServerContextBase& context,
                                  Caller* caller) const {
  if (!settings_.client_certificates) return false;
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return false;
  const std::vector<grpc::string_ref> pems =
      auth->FindPropertyValues("x509_pem_cert");
  if (pems.empty()) return false;
  const std::string pem(pems.front().data(), pems.front().size());
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto known = certificate_callers_.find(pem);
    if (known != certificate_callers_.end()) {
      *caller = known->second;
      return true;
    }
  }
  std::string common_name, unit;
  if (!certificate_subject(pem, &common_name, &unit)) {
    throw unauthenticated("the client certificate cannot be read");
  }
  if (!parse_role(unit, &caller->role)) {
    throw unauthenticated("client certificate '" + common_name +
                          "' has no pynq-remote role: its OU must be "
                          "'operator' or 'reader'");
  }
  caller->identity = common_name;
  std::lock_guard<std::mutex> lock(mutex_);
  if (certificate_callers_.size() >= kMaxRemembered) certificate_callers_.clear();
  certificate_callers_[pem] = *caller;
  return true;
}

void Authorizer::throttle(const Caller& caller) const {
  if (settings_.calls_per_second <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (buckets_.size() >= kMaxRemembered &&
      buckets_.find(caller.identity) == buckets_.end()) {
    buckets_.clear();
  }
  auto [bucket, created] =
      buckets_.try_emplace(caller.identity, Bucket{settings_.burst, now});
  if (!created) {
    const std::chrono::duration<double> elapsed = now - bucket->second.updated;
    bucket->second.tokens =
        std::min(settings_.burst, bucket->second.tokens +
                                      elapsed.count() * settings_.calls_per_second);
    bucket->second.updated = now;
  }
  if (bucket->second.tokens < 1) {
    throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "'" + caller.identity + "' exceeds the limit of " +
                          std::to_string(static_cast<int64_t>(settings_.calls_per_second)) +
                          " calls per second; slow down");
  }
  bucket->second.tokens -= 1;
}

std::unique_ptr<Authorizer::LongCall> Authorizer::begin_long_call(
    const Caller& caller, const char* method) const {
  std::lock_guard<std::mutex> lock(mutex_);
  int& of_caller = long_calls_of_caller_[caller.identity];
  if (of_caller >= kMaxLongCallsPerCaller || long_calls_ >= kMaxLongCalls) {
    const bool caller_full = of_caller >= kMaxLongCallsPerCaller;
    if (of_caller == 0) long_calls_of_caller_.erase(caller.identity);
    throw StatusError(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        std::string(method) + ": " +
            (caller_full
                 ? "'" + caller.identity + "' already has " +
                       std::to_string(kMaxLongCallsPerCaller) +
                       " polls, streams or watches open, the limit per "
                       "caller; end one first"
                 : "the server has " + std::to_string(kMaxLongCalls) +
                       " polls, streams or watches open, its limit; try "
                       "again later"));
  }
  ++of_caller;
  ++long_calls_;
  return std::make_unique<LongCall>(this, caller.identity);
}

Authorizer::LongCall::~LongCall() {
  std::lock_guard<std::mutex> lock(authorizer_->mutex_);
  const auto found = authorizer_->long_calls_of_caller_.find(identity_);
  if (found != authorizer_->long_calls_of_caller_.end() &&
      --found->second <= 0) {
    authorizer_->long_calls_of_caller_.erase(found);
  }
  --authorizer_->long_calls_;
}

int Authorizer::long_calls() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return long_calls_;
}

void Authorizer::warn_new_connection(const std::string& peer) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!peers_warned_.insert(peer).second) return;
  if (peers_warned_.size() >= kMaxRemembered) peers_warned_.clear();
  log_warning("--insecure: serving " + peer +
              " without authentication or encryption");
}

}  // namespace pynq_remote
