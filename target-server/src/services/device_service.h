// pynq_remote.v1.DeviceService: what the board and the server are.
#ifndef PYNQ_REMOTE_SERVICES_DEVICE_SERVICE_H_
#define PYNQ_REMOTE_SERVICES_DEVICE_SERVICE_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "backends/backend.h"
#include "pynq_remote/v1/device.grpc.pb.h"

namespace pynq_remote {

class DeviceService final : public v1::DeviceService::Service {
 public:
  explicit DeviceService(std::shared_ptr<Backend> backend);

  grpc::Status GetInfo(grpc::ServerContext* context,
                       const v1::GetInfoRequest* request,
                       v1::GetInfoResponse* response) override;

 private:
  std::shared_ptr<Backend> backend_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_DEVICE_SERVICE_H_
