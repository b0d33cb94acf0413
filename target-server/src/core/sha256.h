// SHA-256 through OpenSSL's libcrypto, and checks of the hex form that names
// bitstreams.
#ifndef PYNQ_REMOTE_CORE_SHA256_H_
#define PYNQ_REMOTE_CORE_SHA256_H_

#include <cstddef>
#include <string>

// Forward declaration, so users need no OpenSSL headers.
typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace pynq_remote {

// Hashes bytes fed in pieces. Throws INTERNAL when libcrypto fails.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, size_t size);
  // 64 lowercase hex digits; call once, after the last update().
  std::string hex_digest();

 private:
  EVP_MD_CTX* context_;
};

// Whether `text` is 64 lowercase hex digits.
bool is_sha256_hex(const std::string& text);

// INVALID_ARGUMENT unless `text` is 64 lowercase hex digits. `what` names the
// field in the message.
void check_sha256_hex(const std::string& text, const char* what = "sha256");

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_SHA256_H_
