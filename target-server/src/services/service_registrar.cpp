#include "services/service_registrar.h"

#include <grpcpp/health_check_service_interface.h>

#include <utility>

#include "core/limits.h"
#include "services/device_service.h"
#include "services/mmio_service.h"

namespace pynq_remote {
namespace {

class Services final : public ServiceRegistration {
 public:
  explicit Services(const std::shared_ptr<Backend>& backend)
      : device(backend), mmio(backend) {}

  DeviceService device;
  MmioService mmio;
};

}  // namespace

std::unique_ptr<ServiceRegistration> register_all_services(
    grpc::ServerBuilder& builder, std::shared_ptr<Backend> backend) {
  // Takes effect for servers built after this call.
  grpc::EnableDefaultHealthCheckService(true);
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxMessageBytes));
  builder.SetMaxSendMessageSize(static_cast<int>(kMaxMessageBytes));

  auto services = std::make_unique<Services>(std::move(backend));
  builder.RegisterService(&services->device);
  builder.RegisterService(&services->mmio);
  return services;
}

void mark_serving(grpc::Server& server) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(true);
  health->SetServingStatus(v1::DeviceService::service_full_name(), true);
  health->SetServingStatus(v1::MmioService::service_full_name(), true);
}

}  // namespace pynq_remote
