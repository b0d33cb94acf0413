// Registers every service of the server on a ServerBuilder.
#ifndef PYNQ_REMOTE_SERVICES_SERVICE_REGISTRAR_H_
#define PYNQ_REMOTE_SERVICES_SERVICE_REGISTRAR_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "core/authorizer.h"
#include "core/bitstream_cache.h"
#include "core/pairing.h"

namespace pynq_remote {

struct ServiceOptions {
  // Largest total of buffers one session may hold; 0 means the whole
  // buffer memory.
  uint64_t session_limit_bytes = 0;
  // Where BitstreamService keeps uploads; nullptr: it uploads and programs
  // nothing, and the "bitstreams" capability is not reported.
  std::shared_ptr<BitstreamCache> bitstream_cache;
  // Who may call what; open (every caller an operator) by default.
  std::shared_ptr<const Authorizer> authorizer = Authorizer::open();
  // While unpaired: the pairing state, and what to do once paired.
  std::shared_ptr<Pairing> pairing;
  std::function<void()> on_paired;
  // Serve the PYNQ.remote compatibility services (packages remote_device,
  // mmio, buffer, gpio) over the same backend, sessions and cache.
  bool compat = false;
  // Serve the pynq_remote.v1 services; off (with compat on) the server
  // speaks only the PYNQ.remote protocol, as a PYNQ.cpp server does.
  bool v1 = true;
};

// Keeps the service objects alive as long as the server that uses them.
// Destroying it closes the sessions still open, freeing their buffers.
class ServiceRegistration {
 public:
  virtual ~ServiceRegistration() = default;
  // Full names of the services registered, for the health service.
  virtual std::vector<std::string> service_names() const = 0;
  // Ends the streams that would otherwise run until the shutdown grace
  // period is over (interrupt subscriptions). Call before Server::Shutdown.
  virtual void begin_shutdown() {}
  // Waits for the calls that run on threads of their own (a Batch that
  // polls) to finish. Call after Server::Shutdown, which cancels them, and
  // before the server is destroyed.
  virtual void end_shutdown() {}
};

// Registers DeviceService, MmioService, SessionService, BufferService,
// BitstreamService, ClockService, GpioService, InterruptService and
// PairingService and the extension services linked into the binary
// (unless options.v1 is off) and the PYNQ.remote services
// (when options.compat is on) over `backend`, turns on the standard
// grpc.health.v1.Health service and
// sets the message size limits. Call before builder.BuildAndStart(); keep
// the result until the server is gone.
std::unique_ptr<ServiceRegistration> register_all_services(
    grpc::ServerBuilder& builder, std::shared_ptr<Backend> backend,
    const ServiceOptions& options = {});

// Offers gRPC server reflection (grpc.reflection.v1alpha), which lists the
// services and their message types, extensions included, to any caller,
// or takes it off `builder`. Each reflection stream holds one of the
// server's handler threads, so only servers open to their own machine
// offer it. Call before builder.BuildAndStart().
void set_reflection(grpc::ServerBuilder& builder, bool offered);

// Reports every service of `services` as SERVING on the health service.
void mark_serving(grpc::Server& server, const ServiceRegistration& services);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_SERVICES_SERVICE_REGISTRAR_H_
