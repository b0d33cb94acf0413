#include "compat/gpio_adapter.h"

#include <string>
#include <utility>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

constexpr size_t kMaxExported = 1024;
// Chip labels of the PS GPIO controllers, which an empty label means.
constexpr const char* kPsLabels[] = {"zynqmp_gpio", "zynq_gpio"};

void check(const grpc::Status& status) {
  if (!status.ok()) {
    throw StatusError(status.error_code(), status.error_message());
  }
}

// "gpiochip0:78" -> chip and offset; INVALID_ARGUMENT otherwise.
std::pair<std::string, uint32_t> parse_id(const std::string& id) {
  const size_t colon = id.rfind(':');
  const std::string offset =
      colon == std::string::npos ? "" : id.substr(colon + 1);
  if (colon == 0 || offset.empty() || offset.size() > 5 ||
      offset.find_first_not_of("0123456789") != std::string::npos) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "'" + id + "' is not a gpio_id from get_gpio");
  }
  return {id.substr(0, colon), static_cast<uint32_t>(std::stoul(offset))};
}

}  // namespace

GpioAdapter::GpioAdapter(GpioService* gpio,
                         std::shared_ptr<const Authorizer> authorizer)
    : gpio_(gpio), authorizer_(std::move(authorizer)) {}

std::vector<GpioAdapter::Chip> GpioAdapter::chips(
    grpc::ServerContext* context) const {
  v1::ListGpioLinesRequest request;
  v1::ListGpioLinesResponse response;
  check(gpio_->ListGpioLines(context, &request, &response));
  std::vector<Chip> chips;
  uint32_t base = 0;
  for (const v1::GpioLine& line : response.lines()) {
    if (!chips.empty() && chips.back().name == line.chip()) continue;
    chips.push_back(Chip{line.chip(), line.chip_label(), base, line.chip_lines()});
    base += line.chip_lines();
  }
  return chips;
}

GpioAdapter::Chip GpioAdapter::find_chip(grpc::ServerContext* context,
                                         const std::string& label) const {
  const std::vector<Chip> all = chips(context);
  for (const Chip& chip : all) {
    if (!label.empty() && chip.label == label) return chip;
    for (const char* ps : kPsLabels) {
      if (label.empty() && chip.label == ps) return chip;
    }
  }
  if (label.empty() && !all.empty()) return all.front();
  throw StatusError(grpc::StatusCode::NOT_FOUND,
                    "no GPIO chip labelled '" + label + "' on this board");
}

grpc::Status GpioAdapter::get_gpio_base_path(
    grpc::ServerContext* context, const ::gpio::GetGpioBasePathRequest* request,
    ::gpio::GetGpioBasePathResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "gpio.get_gpio_base_path",
                        context, [&] {
    try {
      const Chip chip = find_chip(context, request->target_label());
      response->set_base_path("/sys/class/gpio/gpiochip" +
                              std::to_string(chip.base) + "/");
    } catch (const StatusError& error) {
      // pynq reads an empty path as "no such chip" and returns None.
      if (error.code() != grpc::StatusCode::NOT_FOUND) throw;
    }
  });
}

grpc::Status GpioAdapter::get_gpio_npins(
    grpc::ServerContext* context, const ::gpio::GetGpioNPinsRequest* request,
    ::gpio::GetGpioNPinsResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "gpio.get_gpio_npins",
                        context, [&] {
    response->set_npins(
        static_cast<int32_t>(find_chip(context, request->target_label()).lines));
  });
}

grpc::Status GpioAdapter::get_gpio(grpc::ServerContext* context,
                                   const ::gpio::GetGpioRequest* request,
                                   ::gpio::GetGpioResponse* response) {
  return run_authorized(*authorizer_, Role::kOperator, "gpio.get_gpio", context,
                        [&] {
    const std::string& direction = request->direction();
    if (direction != "in" && direction != "out") {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "direction must be 'in' or 'out', not '" + direction +
                            "'");
    }
    for (const Chip& chip : chips(context)) {
      const int64_t offset = int64_t{request->index()} - chip.base;
      if (offset < 0 || offset >= chip.lines) continue;
      v1::SetGpioDirectionRequest set;
      set.set_chip(chip.name);
      set.set_offset(static_cast<uint32_t>(offset));
      set.set_direction(direction == "in" ? v1::GPIO_DIRECTION_INPUT
                                          : v1::GPIO_DIRECTION_OUTPUT);
      v1::SetGpioDirectionResponse ignored;
      check(gpio_->SetGpioDirection(context, &set, &ignored));
      const std::string id = chip.name + ":" + std::to_string(offset);
      std::lock_guard<std::mutex> lock(mutex_);
      if (exported_.size() >= kMaxExported) exported_.clear();
      exported_.insert(id);
      response->set_gpio_id(id);
      return;
    }
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "GPIO " + std::to_string(request->index()) +
                          " is on no chip of this board");
  });
}

grpc::Status GpioAdapter::read(grpc::ServerContext* context,
                               const ::gpio::GpioReadRequest* request,
                               ::gpio::GpioReadResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "gpio.read", context, [&] {
    const auto [chip, offset] = parse_id(request->gpio_id());
    v1::ReadGpioLineRequest read;
    read.set_chip(chip);
    read.set_offset(offset);
    v1::ReadGpioLineResponse value;
    check(gpio_->ReadGpioLine(context, &read, &value));
    response->set_value(static_cast<int32_t>(value.value()));
  });
}

grpc::Status GpioAdapter::write(grpc::ServerContext* context,
                                const ::gpio::GpioWriteRequest* request,
                                ::gpio::GpioWriteResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "gpio.write", context,
                        [&] {
    const auto [chip, offset] = parse_id(request->gpio_id());
    v1::WriteGpioLineRequest write;
    write.set_chip(chip);
    write.set_offset(offset);
    write.set_value(static_cast<uint32_t>(request->value()));
    v1::WriteGpioLineResponse ignored;
    check(gpio_->WriteGpioLine(context, &write, &ignored));
  });
}

grpc::Status GpioAdapter::unexport(grpc::ServerContext* context,
                                   const ::gpio::GpioUnexportRequest* request,
                                   ::gpio::GpioUnexportResponse* /*response*/) {
  return run_authorized(*authorizer_, Role::kOperator, "gpio.unexport",
                        context, [&] {
    std::lock_guard<std::mutex> lock(mutex_);
    exported_.erase(request->gpio_id());
  });
}

grpc::Status GpioAdapter::is_exported(
    grpc::ServerContext* context, const ::gpio::GpioIsExportedRequest* request,
    ::gpio::GpioIsExportedResponse* response) {
  return run_authorized(*authorizer_, Role::kReader, "gpio.is_exported",
                        context, [&] {
    std::lock_guard<std::mutex> lock(mutex_);
    response->set_is_exported(exported_.count(request->gpio_id()) > 0);
  });
}

}  // namespace pynq_remote
