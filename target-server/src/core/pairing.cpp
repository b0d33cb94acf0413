#include "core/pairing.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr int kPairingCertificateDays = 30;

std::string random_digits(int count) {
  std::string digits;
  while (static_cast<int>(digits.size()) < count) {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1) {
      throw std::runtime_error("RAND_bytes failed in libcrypto");
    }
    if (byte < 250) digits += static_cast<char>('0' + byte % 10);  // unbiased
  }
  return digits;
}

// Writes `text` to `path` through a temporary file and a rename, readable
// by the owner only.
void write_file(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::write(fd, text.data(), text.size()) !=
                    static_cast<ssize_t>(text.size()) ||
      ::fsync(fd) != 0 || ::close(fd) != 0 ||
      std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    if (fd >= 0) ::unlink(temporary.c_str());
    throw StatusError(grpc::StatusCode::INTERNAL,
                      "cannot write " + path + ": " + reason);
  }
}

}  // namespace

CredentialFiles credential_files(const std::string& folder) {
  return {folder + "/server.pem", folder + "/server.key",
          folder + "/client-ca.pem"};
}

bool has_credentials(const std::string& folder) {
  const CredentialFiles files = credential_files(folder);
  return std::filesystem::exists(files.server_certificate) &&
         std::filesystem::exists(files.server_key) &&
         std::filesystem::exists(files.client_ca);
}

Pairing::Pairing(std::string folder)
    : folder_(std::move(folder)), tls_key_(KeyPair::generate()) {
  tls_certificate_ =
      tls_key_.self_signed_pem(kServerName, kPairingCertificateDays);
  code_ = certificate_fingerprint(tls_certificate_).substr(0, 8) + "-" +
          random_digits(6);
}

void Pairing::check_code(const std::string& code) {
  if (wrong_codes_ >= kMaxWrongCodes) {
    throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "too many wrong pairing codes: restart the board's "
                      "server for a new code");
  }
  if (code.size() == code_.size() &&
      CRYPTO_memcmp(code.data(), code_.data(), code_.size()) == 0) {
    return;
  }
  ++wrong_codes_;
  log_warning("wrong pairing code (" + std::to_string(wrong_codes_) + " of " +
              std::to_string(kMaxWrongCodes) + ")");
  throw StatusError(grpc::StatusCode::UNAUTHENTICATED,
                    "wrong pairing code");
}

std::string Pairing::begin(const std::string& code) {
  std::lock_guard<std::mutex> lock(mutex_);
  check_code(code);
  if (completed_) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this board is already paired");
  }
  board_key_ = KeyPair::generate();
  return board_key_->request_pem("pynq-remote board");
}

void Pairing::complete(const std::string& code,
                       const std::string& certificate_pem,
                       const std::string& client_ca_pem) {
  std::lock_guard<std::mutex> lock(mutex_);
  check_code(code);
  if (!board_key_ || completed_) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      completed_ ? "this board is already paired"
                                 : "call BeginPairing first");
  }
  if (!board_key_->matches(certificate_pem)) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "the certificate is not for the key BeginPairing "
                      "requested");
  }
  if (!certificate_signed_by(certificate_pem, client_ca_pem)) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "the certificate is not signed by the CA sent with it");
  }
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  // The folder holds the board's key: its owner's only.
  std::filesystem::permissions(folder_, std::filesystem::perms::owner_all,
                               error);
  const CredentialFiles files = credential_files(folder_);
  write_file(files.server_key, board_key_->private_pem());
  write_file(files.server_certificate, certificate_pem);
  write_file(files.client_ca, client_ca_pem);
  completed_ = true;
  log_info("paired: credentials written to " + folder_);
}

}  // namespace pynq_remote
