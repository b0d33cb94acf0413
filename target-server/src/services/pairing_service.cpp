#include "services/pairing_service.h"

#include <utility>

#include "core/limits.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr size_t kMaxPemBytes = 64 * 1024;

void check_pem_size(const std::string& pem, const char* what) {
  if (pem.size() <= kMaxPemBytes) return;
  throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                    std::string(what) + " of " + std::to_string(pem.size()) +
                        " bytes exceeds the limit of " +
                        std::to_string(kMaxPemBytes) + " bytes");
}

}  // namespace

PairingService::PairingService(std::shared_ptr<Pairing> pairing,
                               std::function<void()> on_paired)
    : pairing_(std::move(pairing)), on_paired_(std::move(on_paired)) {}

Pairing& PairingService::pairing() const {
  if (!pairing_) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this server is not pairing: it is paired already or "
                      "runs without a credentials folder");
  }
  return *pairing_;
}

grpc::Status PairingService::BeginPairing(
    grpc::ServerContext* context, const v1::BeginPairingRequest* request,
    v1::BeginPairingResponse* response) {
  return run_rpc("BeginPairing", context, [&] {
    response->set_certificate_request(pairing().begin(request->code()));
  });
}

grpc::Status PairingService::CompletePairing(
    grpc::ServerContext* context, const v1::CompletePairingRequest* request,
    v1::CompletePairingResponse* /*response*/) {
  const grpc::Status status = run_rpc("CompletePairing", context, [&] {
    check_pem_size(request->certificate(), "certificate");
    check_pem_size(request->client_ca(), "client_ca");
    pairing().complete(request->code(), request->certificate(),
                       request->client_ca());
  });
  if (status.ok() && on_paired_) on_paired_();
  return status;
}

}  // namespace pynq_remote
