#include "services/gpio_service.h"

#include <string>
#include <utility>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

// Longest chip or window name accepted from the wire.
constexpr size_t kMaxNameBytes = 256;

int checked_level(uint32_t value) {
  if (value > 1) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "value " + std::to_string(value) + " must be 0 or 1");
  }
  return static_cast<int>(value);
}

const std::string& checked_name(const std::string& name, const char* what) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      std::string(what) + " must be 1 to " +
                          std::to_string(kMaxNameBytes) + " bytes");
  }
  return name;
}

}  // namespace

GpioService::GpioService(std::shared_ptr<Backend> backend,
                         std::shared_ptr<const Authorizer> authorizer)
    : authorizer_(std::move(authorizer)), backend_(std::move(backend)) {}

GpioLines& GpioService::lines() const {
  GpioLines* lines = backend_->gpio();
  if (lines == nullptr) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this board has no GPIO chips the server can reach");
  }
  return *lines;
}

grpc::Status GpioService::ListGpioLines(
    grpc::ServerContext* context, const v1::ListGpioLinesRequest* /*request*/,
    v1::ListGpioLinesResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "ListGpioLines", context, [&] {
    GpioLines* gpio = backend_->gpio();
    if (gpio == nullptr) return;  // no chips: an empty list
    for (const GpioLineInfo& line : gpio->list()) {
      v1::GpioLine* out = response->add_lines();
      out->set_chip(line.chip);
      out->set_chip_label(line.chip_label);
      out->set_chip_lines(line.chip_lines);
      out->set_offset(line.offset);
      out->set_name(line.name);
      out->set_direction(line.output ? v1::GPIO_DIRECTION_OUTPUT
                                     : v1::GPIO_DIRECTION_INPUT);
      out->set_used(line.used);
      out->set_consumer(line.consumer);
    }
  });
}

grpc::Status GpioService::ReadGpioLine(grpc::ServerContext* context,
                                       const v1::ReadGpioLineRequest* request,
                                       v1::ReadGpioLineResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "ReadGpioLine", context, [&] {
    response->set_value(static_cast<uint32_t>(lines().read(
        checked_name(request->chip(), "chip"), request->offset())));
  });
}

grpc::Status GpioService::WriteGpioLine(
    grpc::ServerContext* context, const v1::WriteGpioLineRequest* request,
    v1::WriteGpioLineResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "WriteGpioLine", context, [&] {
    const int value = checked_level(request->value());
    lines().write(checked_name(request->chip(), "chip"), request->offset(),
                  value);
  });
}

grpc::Status GpioService::SetGpioDirection(
    grpc::ServerContext* context, const v1::SetGpioDirectionRequest* request,
    v1::SetGpioDirectionResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "SetGpioDirection", context, [&] {
    const int value = checked_level(request->value());
    if (request->direction() != v1::GPIO_DIRECTION_INPUT &&
        request->direction() != v1::GPIO_DIRECTION_OUTPUT) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "direction must be GPIO_DIRECTION_INPUT or "
                        "GPIO_DIRECTION_OUTPUT");
    }
    lines().set_direction(checked_name(request->chip(), "chip"),
                          request->offset(),
                          request->direction() == v1::GPIO_DIRECTION_OUTPUT,
                          value);
  });
}

grpc::Status GpioService::SetSimulatedInput(
    grpc::ServerContext* context, const v1::SetSimulatedInputRequest* request,
    v1::SetSimulatedInputResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "SetSimulatedInput", context, [&] {
    switch (request->target_case()) {
      case v1::SetSimulatedInputRequest::kAxiGpio: {
        const v1::SimulatedAxiGpioInput& input = request->axi_gpio();
        backend_->set_simulated_axi_gpio_input(
            checked_name(input.window(), "window"), input.channel(),
            input.value());
        return;
      }
      case v1::SetSimulatedInputRequest::kLine: {
        const v1::SimulatedLineInput& input = request->line();
        const int value = checked_level(input.value());
        backend_->set_simulated_line_input(checked_name(input.chip(), "chip"),
                                           input.offset(), value);
        return;
      }
      case v1::SetSimulatedInputRequest::TARGET_NOT_SET:
        break;
    }
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "set one of axi_gpio or line");
  });
}

}  // namespace pynq_remote
