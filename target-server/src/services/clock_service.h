// pynq_remote.v1.ClockService: the PL clocks, read and set through the
// backend's clock controller.
#ifndef PYNQ_REMOTE_SERVICES_CLOCK_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_CLOCK_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "pynq_remote/v1/clock.grpc.pb.h"

namespace pynq_remote {

class ClockService final : public v1::ClockService::Service {
 public:
  explicit ClockService(
      std::shared_ptr<Backend> backend,
      std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status GetClocks(grpc::ServerContext* context,
                         const v1::GetClocksRequest* request,
                         v1::GetClocksResponse* response) override;
  grpc::Status SetPlClock(grpc::ServerContext* context,
                          const v1::SetPlClockRequest* request,
                          v1::SetPlClockResponse* response) override;

 private:
  std::shared_ptr<const Authorizer> authorizer_;
  // The backend's clocks; FAILED_PRECONDITION when it has none.
  PlClocks& clocks() const;

  std::shared_ptr<Backend> backend_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_CLOCK_SERVICE_H_
