#include "core/certificates.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace pynq_remote {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* pointer) const { Free(pointer); }
};
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Certificate = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Request = std::unique_ptr<X509_REQ, Deleter<X509_REQ, X509_REQ_free>>;

void require(bool ok, const char* step) {
  if (!ok) throw std::runtime_error(std::string(step) + " failed in libcrypto");
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size);
}

Certificate parse_certificate(const std::string& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  require(bio != nullptr, "BIO_new_mem_buf");
  Certificate certificate(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) throw std::runtime_error("not a PEM certificate");
  return certificate;
}

void set_common_name(X509_NAME* name, const std::string& common_name) {
  require(X509_NAME_add_entry_by_txt(
              name, "CN", MBSTRING_UTF8,
              reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
              -1, 0) == 1,
          "X509_NAME_add_entry_by_txt");
}

}  // namespace

KeyPair KeyPair::generate() {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  require(key != nullptr, "EVP_PKEY_Q_keygen");
  return KeyPair(key);
}

KeyPair::~KeyPair() { EVP_PKEY_free(key_); }

KeyPair::KeyPair(KeyPair&& other) noexcept : key_(other.key_) {
  other.key_ = nullptr;
}

KeyPair& KeyPair::operator=(KeyPair&& other) noexcept {
  if (this != &other) {
    EVP_PKEY_free(key_);
    key_ = other.key_;
    other.key_ = nullptr;
  }
  return *this;
}

std::string KeyPair::private_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_PrivateKey(bio.get(), key_, nullptr, nullptr, 0,
                                   nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
  return bio_text(bio.get());
}

std::string KeyPair::self_signed_pem(const std::string& name, int days) const {
  Certificate certificate(X509_new());
  require(certificate != nullptr, "X509_new");
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 86400L * days);
  require(X509_set_pubkey(certificate.get(), key_) == 1, "X509_set_pubkey");
  X509_NAME* subject = X509_get_subject_name(certificate.get());
  set_common_name(subject, name);
  require(X509_set_issuer_name(certificate.get(), subject) == 1,
          "X509_set_issuer_name");
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate.get(), certificate.get(), nullptr,
                 nullptr, 0);
  X509_EXTENSION* alternative = X509V3_EXT_conf_nid(
      nullptr, &context, NID_subject_alt_name, ("DNS:" + name).c_str());
  require(alternative != nullptr, "X509V3_EXT_conf_nid");
  X509_add_ext(certificate.get(), alternative, -1);
  X509_EXTENSION_free(alternative);
  require(X509_sign(certificate.get(), key_, EVP_sha256()) > 0, "X509_sign");
  Bio bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509(bio.get(), certificate.get()) == 1,
          "PEM_write_bio_X509");
  return bio_text(bio.get());
}

std::string KeyPair::request_pem(const std::string& name) const {
  Request request(X509_REQ_new());
  require(request != nullptr, "X509_REQ_new");
  require(X509_REQ_set_pubkey(request.get(), key_) == 1, "X509_REQ_set_pubkey");
  set_common_name(X509_REQ_get_subject_name(request.get()), name);
  require(X509_REQ_sign(request.get(), key_, EVP_sha256()) > 0,
          "X509_REQ_sign");
  Bio bio(BIO_new(BIO_s_mem()));
  require(PEM_write_bio_X509_REQ(bio.get(), request.get()) == 1,
          "PEM_write_bio_X509_REQ");
  return bio_text(bio.get());
}

bool KeyPair::matches(const std::string& certificate_pem) const {
  try {
    const Certificate certificate = parse_certificate(certificate_pem);
    return X509_check_private_key(certificate.get(), key_) == 1;
  } catch (const std::runtime_error&) {
    return false;
  }
}

std::string certificate_fingerprint(const std::string& certificate_pem) {
  const Certificate certificate = parse_certificate(certificate_pem);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  require(X509_digest(certificate.get(), EVP_sha256(), digest, &length) == 1,
          "X509_digest");
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

bool certificate_signed_by(const std::string& certificate_pem,
                           const std::string& ca_pem) {
  try {
    const Certificate certificate = parse_certificate(certificate_pem);
    const Certificate ca = parse_certificate(ca_pem);
    EVP_PKEY* ca_key = X509_get0_pubkey(ca.get());
    return ca_key != nullptr && X509_verify(certificate.get(), ca_key) == 1;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace pynq_remote
