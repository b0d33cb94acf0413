#include "services/service_registrar.h"

#include <grpcpp/health_check_service_interface.h>

#include <utility>

#include "core/limits.h"
#include "core/session_repository.h"
#include "services/bitstream_service.h"
#include "services/buffer_service.h"
#include "services/clock_service.h"
#include "services/device_service.h"
#include "services/gpio_service.h"
#include "services/interrupt_service.h"
#include "services/mmio_service.h"
#include "services/pairing_service.h"
#include "services/session_service.h"

namespace pynq_remote {
namespace {

class Services final : public ServiceRegistration {
 public:
  Services(const std::shared_ptr<Backend>& backend,
           const ServiceOptions& options)
      : sessions(std::make_shared<SessionRepository>()),
        device(backend, options.bitstream_cache != nullptr,
               options.authorizer),
        mmio(backend, options.authorizer),
        session(sessions, options.authorizer),
        buffer(backend, sessions, options.session_limit_bytes,
               options.authorizer),
        bitstream(backend, options.bitstream_cache, options.authorizer),
        clock(backend, options.authorizer),
        gpio(backend, options.authorizer),
        interrupt(backend, sessions, options.authorizer),
        pairing(options.pairing, options.on_paired) {}

  void begin_shutdown() override { interrupt.end_all(); }

  // First: the services below share it. The last owner to go closes the
  // sessions still open.
  std::shared_ptr<SessionRepository> sessions;
  DeviceService device;
  MmioService mmio;
  SessionService session;
  BufferService buffer;
  BitstreamService bitstream;
  ClockService clock;
  GpioService gpio;
  InterruptService interrupt;
  PairingService pairing;
};

}  // namespace

std::unique_ptr<ServiceRegistration> register_all_services(
    grpc::ServerBuilder& builder, std::shared_ptr<Backend> backend,
    const ServiceOptions& options) {
  // Takes effect for servers built after this call.
  grpc::EnableDefaultHealthCheckService(true);
  builder.SetMaxReceiveMessageSize(static_cast<int>(kMaxMessageBytes));
  builder.SetMaxSendMessageSize(static_cast<int>(kMaxMessageBytes));

  auto services = std::make_unique<Services>(std::move(backend), options);
  builder.RegisterService(&services->device);
  builder.RegisterService(&services->mmio);
  builder.RegisterService(&services->session);
  builder.RegisterService(&services->buffer);
  builder.RegisterService(&services->bitstream);
  builder.RegisterService(&services->clock);
  builder.RegisterService(&services->gpio);
  builder.RegisterService(&services->interrupt);
  builder.RegisterService(&services->pairing);
  return services;
}

void mark_serving(grpc::Server& server) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(true);
  for (const char* name : {v1::DeviceService::service_full_name(),
                           v1::MmioService::service_full_name(),
                           v1::SessionService::service_full_name(),
                           v1::BufferService::service_full_name(),
                           v1::BitstreamService::service_full_name(),
                           v1::ClockService::service_full_name(),
                           v1::GpioService::service_full_name(),
                           v1::InterruptService::service_full_name(),
                           v1::PairingService::service_full_name()}) {
    health->SetServingStatus(name, true);
  }
}

}  // namespace pynq_remote
