#include "core/sha256.h"

#include <openssl/evp.h>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

void require(int ok, const char* step) {
  if (ok == 1) return;
  throw StatusError(grpc::StatusCode::INTERNAL,
                    std::string("sha256: ") + step + " failed in libcrypto");
}

}  // namespace

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr) require(0, "EVP_MD_CTX_new");
  try {
    require(EVP_DigestInit_ex(context_, EVP_sha256(), nullptr),
            "EVP_DigestInit_ex");
  } catch (...) {
    EVP_MD_CTX_free(context_);
    throw;
  }
}

Sha256::~Sha256() { EVP_MD_CTX_free(context_); }

void Sha256::update(const void* data, size_t size) {
  require(EVP_DigestUpdate(context_, data, size), "EVP_DigestUpdate");
}

std::string Sha256::hex_digest() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  require(EVP_DigestFinal_ex(context_, digest, &length), "EVP_DigestFinal_ex");
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kDigits[digest[i] >> 4];
    hex += kDigits[digest[i] & 0xF];
  }
  return hex;
}

bool is_sha256_hex(const std::string& text) {
  return text.size() == 64 &&
         text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void check_sha256_hex(const std::string& text, const char* what) {
  if (is_sha256_hex(text)) return;
  // Never echo a long or binary wire string back whole.
  const std::string shown =
      text.size() <= 80 ? text : text.substr(0, 80) + "...";
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    std::string(what) +
                        " must be 64 lowercase hex digits, got '" + shown +
                        "' (" + std::to_string(text.size()) + " characters)");
}

}  // namespace pynq_remote
