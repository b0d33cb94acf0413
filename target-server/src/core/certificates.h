// The few X.509 operations the server does itself, through OpenSSL: a key
// pair, a self-signed certificate for pairing, a certificate request, and
// checks of what the pairing client sends back.
#ifndef PYNQ_REMOTE_CORE_CERTIFICATES_H_
#define PYNQ_REMOTE_CORE_CERTIFICATES_H_

#include <memory>
#include <string>

// Forward declaration, so users need no OpenSSL headers.
typedef struct evp_pkey_st EVP_PKEY;

namespace pynq_remote {

// An EC P-256 key pair. Errors are std::runtime_error.
class KeyPair {
 public:
  static KeyPair generate();
  ~KeyPair();
  KeyPair(KeyPair&& other) noexcept;
  KeyPair& operator=(KeyPair&& other) noexcept;

  // PKCS#8 PEM of the private key.
  std::string private_pem() const;
  // A certificate for this key signed by itself, valid for `days`, with
  // `name` as CN and DNS subject alternative name.
  std::string self_signed_pem(const std::string& name, int days) const;
  // A PKCS#10 request with `name` as CN, signed by this key.
  std::string request_pem(const std::string& name) const;
  // Whether the PEM certificate holds this key's public half.
  bool matches(const std::string& certificate_pem) const;

 private:
  explicit KeyPair(EVP_PKEY* key) : key_(key) {}
  EVP_PKEY* key_;
};

// Lowercase hex sha256 of the certificate's DER; throws std::runtime_error
// when the PEM is not a certificate.
std::string certificate_fingerprint(const std::string& certificate_pem);

// Whether `certificate_pem` is signed by the CA certificate `ca_pem`.
bool certificate_signed_by(const std::string& certificate_pem,
                           const std::string& ca_pem);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_CERTIFICATES_H_
