// Registers every service of the server on a ServerBuilder.
#ifndef PYNQ_REMOTE_SERVICES_SERVICE_REGISTRAR_H_
#define PYNQ_REMOTE_SERVICES_SERVICE_REGISTRAR_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "backends/backend.h"

namespace pynq_remote {

// Keeps the service objects alive as long as the server that uses them.
class ServiceRegistration {
 public:
  virtual ~ServiceRegistration() = default;
};

// Registers DeviceService and MmioService over `backend`, turns on the
// standard grpc.health.v1.Health service and sets the message size limits.
// Call before builder.BuildAndStart(); keep the result until the server is
// gone.
std::unique_ptr<ServiceRegistration> register_all_services(
    grpc::ServerBuilder& builder, std::shared_ptr<Backend> backend);

// Reports every service as SERVING on the health service.
void mark_serving(grpc::Server& server);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_SERVICE_REGISTRAR_H_
