#include "compat/gpio_adapter.h"

#include <string>
#include <utility>

#include "core/status_error.h"

namespace pynq_remote {

GpioAdapter::GpioAdapter(std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)) {}

grpc::Status GpioAdapter::unavailable(grpc::ServerContext* context, Role role,
                                      const char* method) const {
  return run_authorized(*authorizer_, role, method, context, [&] {
    throw StatusError(grpc::StatusCode::UNIMPLEMENTED,
                      std::string(method) +
                          ": PS GPIO pins are not served over the PYNQ.remote "
                          "protocol by this pynq-remote-server yet");
  });
}

grpc::Status GpioAdapter::get_gpio(grpc::ServerContext* context,
                                   const ::gpio::GetGpioRequest*,
                                   ::gpio::GetGpioResponse*) {
  return unavailable(context, Role::kOperator, "gpio.get_gpio");
}

grpc::Status GpioAdapter::read(grpc::ServerContext* context,
                               const ::gpio::GpioReadRequest*,
                               ::gpio::GpioReadResponse*) {
  return unavailable(context, Role::kReader, "gpio.read");
}

grpc::Status GpioAdapter::write(grpc::ServerContext* context,
                                const ::gpio::GpioWriteRequest*,
                                ::gpio::GpioWriteResponse*) {
  return unavailable(context, Role::kOperator, "gpio.write");
}

grpc::Status GpioAdapter::unexport(grpc::ServerContext* context,
                                   const ::gpio::GpioUnexportRequest*,
                                   ::gpio::GpioUnexportResponse*) {
  return unavailable(context, Role::kOperator, "gpio.unexport");
}

grpc::Status GpioAdapter::is_exported(grpc::ServerContext* context,
                                      const ::gpio::GpioIsExportedRequest*,
                                      ::gpio::GpioIsExportedResponse*) {
  return unavailable(context, Role::kReader, "gpio.is_exported");
}

grpc::Status GpioAdapter::get_gpio_base_path(
    grpc::ServerContext* context, const ::gpio::GetGpioBasePathRequest*,
    ::gpio::GetGpioBasePathResponse*) {
  return unavailable(context, Role::kReader, "gpio.get_gpio_base_path");
}

grpc::Status GpioAdapter::get_gpio_npins(grpc::ServerContext* context,
                                         const ::gpio::GetGpioNPinsRequest*,
                                         ::gpio::GetGpioNPinsResponse*) {
  return unavailable(context, Role::kReader, "gpio.get_gpio_npins");
}

}  // namespace pynq_remote
