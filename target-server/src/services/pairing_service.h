// pynq_remote.v1.PairingService: the two steps of `pynq-remote pair`.
#ifndef PYNQ_REMOTE_SERVICES_PAIRING_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_PAIRING_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>

#include "core/pairing.h"
#include "pynq_remote/v1/pairing.grpc.pb.h"

namespace pynq_remote {

class PairingService final : public v1::PairingService::Service {
 public:
  // `pairing` is nullptr when the server is not pairing. `on_paired` runs
  // after a successful CompletePairing has been answered.
  PairingService(std::shared_ptr<Pairing> pairing,
                 std::function<void()> on_paired);

  grpc::Status BeginPairing(grpc::ServerContext* context,
                            const v1::BeginPairingRequest* request,
                            v1::BeginPairingResponse* response) override;
  grpc::Status CompletePairing(grpc::ServerContext* context,
                               const v1::CompletePairingRequest* request,
                               v1::CompletePairingResponse* response) override;

 private:
  Pairing& pairing() const;

  std::shared_ptr<Pairing> pairing_;
  std::function<void()> on_paired_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_PAIRING_SERVICE_H_
