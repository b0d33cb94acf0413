#include "services/service_registrar.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/health_check_service_interface.h>

#include <algorithm>
#include <utility>

#include "compat/buffer_adapter.h"
#include "compat/file_sandbox.h"
#include "compat/gpio_adapter.h"
#include "compat/mmio_adapter.h"
#include "compat/remote_device_adapter.h"
#include "core/limits.h"
#include "core/log.h"
#include "core/session_repository.h"
#include "pynq_remote/extension.h"
#include "services/bitstream_service.h"
#include "services/buffer_service.h"
#include "services/clock_service.h"
#include "services/device_service.h"
#include "services/endpoints.h"
#include "services/gpio_service.h"
#include "services/interrupt_service.h"
#include "services/mmio_service.h"
#include "services/pairing_service.h"
#include "services/session_service.h"

namespace pynq_remote {
namespace {

std::vector<std::string> extension_names() {
  std::vector<std::string> names;
  for (const ExtensionEntry& entry : registered_extensions()) {
    names.push_back(entry.service_name);
  }
  return names;
}

constexpr size_t kMaxMethodNameInMessage = 200;

// Answers calls of methods no service has (reflection on a server that
// does not offer it, say) with UNIMPLEMENTED through the callback API: the
// synchronous server would hold a handler thread for each such stream until
// its caller ends it.
class UnknownMethods final : public grpc::CallbackGenericService {
 public:
  grpc::ServerGenericBidiReactor* CreateReactor(
      grpc::GenericCallbackServerContext* context) override {
    class Reactor final : public grpc::ServerGenericBidiReactor {
     public:
      explicit Reactor(const std::string& method) {
        Finish(grpc::Status(
            grpc::StatusCode::UNIMPLEMENTED,
            "this server has no method " +
                method.substr(0, kMaxMethodNameInMessage)));
      }
      void OnDone() override { delete this; }
    };
    return new Reactor(context->method());
  }
};

class Services final : public ServiceRegistration {
 public:
  Services(const std::shared_ptr<Backend>& backend,
           const ServiceOptions& options)
      : sessions(std::make_shared<SessionRepository>()),
        shutdown(std::make_shared<ShutdownSignal>()),
        device(backend, options.bitstream_cache != nullptr,
               options.authorizer, extension_names()),
        mmio(backend, options.authorizer),
        session(sessions, options.authorizer),
        buffer(backend, sessions, options.session_limit_bytes,
               options.authorizer),
        bitstream(backend, options.bitstream_cache, options.authorizer),
        clock(backend, options.authorizer),
        gpio(backend, options.authorizer),
        interrupt(backend, sessions, options.authorizer),
        pairing(options.pairing, options.on_paired) {
    if (options.compat) add_compat(backend, options);
    if (options.v1) add_extensions(backend, options);
  }

  std::vector<std::string> service_names() const override { return names; }
  void begin_shutdown() override {
    interrupt.end_all();
    shutdown->trigger();
  }
  void end_shutdown() override { mmio_endpoint.wait_for_waiting_batches(); }

  void add_extensions(const std::shared_ptr<Backend>& backend,
                      const ServiceOptions& options) {
    ExtensionContext context{backend, sessions, options.authorizer, shutdown};
    for (const ExtensionEntry& entry : registered_extensions()) {
      extensions.push_back(entry.make(context));
      log_info("extension service " + entry.service_name);
    }
  }

  void add_compat(const std::shared_ptr<Backend>& backend,
                  const ServiceOptions& options) {
    auto scratch =
        std::make_shared<ScratchArea>(kCompatScratchBytes, kCompatScratchFiles);
    log_info("PYNQ.remote compatibility services on; scratch area for /tmp: " +
             scratch->directory() + " (at most " +
             std::to_string(kCompatScratchBytes) + " bytes)");
    // The protocol carries no address map: a programming keeps the
    // allow-list the server started with.
    std::vector<DesignWindow> windows;
    for (const MmioWindow& window : backend->windows()->list()) {
      windows.push_back(
          DesignWindow{window.name, window.base, window.size, ""});
    }
    compat_device = std::make_unique<RemoteDeviceAdapter>(
        backend, options.bitstream_cache,
        options.bitstream_cache ? &bitstream : nullptr, std::move(scratch),
        std::move(windows), options.authorizer);
    compat_mmio = std::make_unique<MmioAdapter>(backend, options.authorizer);
    compat_mmio_endpoint =
        std::make_unique<CompatMmioEndpoint>(compat_mmio.get());
    compat_buffer =
        std::make_unique<BufferAdapter>(&buffer, sessions, options.authorizer);
    compat_gpio = std::make_unique<GpioAdapter>(&gpio, options.authorizer);
  }

  // First: the services below share it. The last owner to go closes the
  // sessions still open.
  std::shared_ptr<SessionRepository> sessions;
  // Ends the extensions' streams at shutdown.
  std::shared_ptr<ShutdownSignal> shutdown;
  DeviceService device;
  MmioService mmio;
  SessionService session;
  BufferService buffer;
  BitstreamService bitstream;
  ClockService clock;
  GpioService gpio;
  InterruptService interrupt;
  PairingService pairing;
  DeviceEndpoint device_endpoint{&device};
  MmioEndpoint mmio_endpoint{&mmio};
  // The PYNQ.remote adapters, over the services above; null when off.
  // Declared last, so they go first.
  std::unique_ptr<RemoteDeviceAdapter> compat_device;
  std::unique_ptr<MmioAdapter> compat_mmio;
  std::unique_ptr<CompatMmioEndpoint> compat_mmio_endpoint;
  std::unique_ptr<BufferAdapter> compat_buffer;
  std::unique_ptr<GpioAdapter> compat_gpio;
  // The user's services built in with -DPYNQ_REMOTE_EXTENSIONS, in the
  // order of registered_extensions().
  std::vector<std::unique_ptr<grpc::Service>> extensions;
  UnknownMethods unknown_methods;
  std::vector<std::string> names;

  void add(grpc::ServerBuilder& builder, grpc::Service* service,
           const char* name) {
    builder.RegisterService(service);
    names.push_back(name);
  }
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
  builder.RegisterCallbackGenericService(&services->unknown_methods);
  if (options.v1) {
    services->add(builder, &services->device_endpoint,
                  v1::DeviceService::service_full_name());
    services->add(builder, &services->mmio_endpoint,
                  v1::MmioService::service_full_name());
    services->add(builder, &services->session,
                  v1::SessionService::service_full_name());
    services->add(builder, &services->buffer,
                  v1::BufferService::service_full_name());
    services->add(builder, &services->bitstream,
                  v1::BitstreamService::service_full_name());
    services->add(builder, &services->clock,
                  v1::ClockService::service_full_name());
    services->add(builder, &services->gpio,
                  v1::GpioService::service_full_name());
    services->add(builder, &services->interrupt,
                  v1::InterruptService::service_full_name());
    services->add(builder, &services->pairing,
                  v1::PairingService::service_full_name());
    for (size_t i = 0; i < services->extensions.size(); ++i) {
      services->add(builder, services->extensions[i].get(),
                    registered_extensions()[i].service_name.c_str());
    }
  }
  if (options.compat) {
    services->add(builder, services->compat_device.get(),
                  ::remote_device::RemoteDevice::service_full_name());
    services->add(builder, services->compat_mmio_endpoint.get(),
                  ::mmio::Mmio::service_full_name());
    services->add(builder, services->compat_buffer.get(),
                  ::buffer::RemoteBuffer::service_full_name());
    services->add(builder, services->compat_gpio.get(),
                  ::gpio::Gpio::service_full_name());
  }
  return services;
}

// Takes gRPC's reflection plugin off a builder. Linking the reflection
// library registers the plugin for every server built, so a server that
// does not offer reflection must remove it.
class WithoutReflection final : public grpc::ServerBuilderOption {
 public:
  void UpdateArguments(grpc::ChannelArguments* /*arguments*/) override {}
  void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>>*
                         plugins) override {
    const std::string reflection =
        grpc::reflection::ProtoServerReflectionPlugin().name();
    plugins->erase(std::remove_if(plugins->begin(), plugins->end(),
                                  [&](const auto& plugin) {
                                    return plugin->name() == reflection;
                                  }),
                   plugins->end());
  }
};

void set_reflection(grpc::ServerBuilder& builder, bool offered) {
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  if (!offered) builder.SetOption(std::make_unique<WithoutReflection>());
}

void mark_serving(grpc::Server& server, const ServiceRegistration& services) {
  grpc::HealthCheckServiceInterface* health = server.GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus(true);
  for (const std::string& name : services.service_names()) {
    health->SetServingStatus(name, true);
  }
}

}  // namespace pynq_remote
