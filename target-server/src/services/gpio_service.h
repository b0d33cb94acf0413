// pynq_remote.v1.GpioService: the board's GPIO lines, and the sim's inputs.
#ifndef PYNQ_REMOTE_SERVICES_GPIO_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_GPIO_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "pynq_remote/v1/gpio.grpc.pb.h"

namespace pynq_remote {

class GpioService final : public v1::GpioService::Service {
 public:
  explicit GpioService(
      std::shared_ptr<Backend> backend,
      std::shared_ptr<const Authorizer> authorizer = Authorizer::open());

  grpc::Status ListGpioLines(grpc::ServerContext* context,
                             const v1::ListGpioLinesRequest* request,
                             v1::ListGpioLinesResponse* response) override;
  grpc::Status ReadGpioLine(grpc::ServerContext* context,
                            const v1::ReadGpioLineRequest* request,
                            v1::ReadGpioLineResponse* response) override;
  grpc::Status WriteGpioLine(grpc::ServerContext* context,
                             const v1::WriteGpioLineRequest* request,
                             v1::WriteGpioLineResponse* response) override;
  grpc::Status SetGpioDirection(
      grpc::ServerContext* context, const v1::SetGpioDirectionRequest* request,
      v1::SetGpioDirectionResponse* response) override;
  grpc::Status SetSimulatedInput(
      grpc::ServerContext* context,
      const v1::SetSimulatedInputRequest* request,
      v1::SetSimulatedInputResponse* response) override;

 private:
  // The backend's lines; FAILED_PRECONDITION when it has none.
  GpioLines& lines() const;

  std::shared_ptr<const Authorizer> authorizer_;
  std::shared_ptr<Backend> backend_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_GPIO_SERVICE_H_
