#include "backends/sim_backend.h"

#include <sstream>
#include <utility>

#include "core/board_config.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

std::string or_default(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

// The name part of a VLNV "vendor:library:name:version"; the whole string
// when it has no colons.
std::string ip_name(const std::string& vlnv) {
  std::vector<std::string> parts;
  std::istringstream stream(vlnv);
  std::string part;
  while (std::getline(stream, part, ':')) parts.push_back(part);
  return parts.size() >= 3 ? parts[2] : vlnv;
}

// The sim's model for one window of a design, picked by its IP type.
config::Window model_config(const DesignWindow& window) {
  config::Window out;
  out.set_name(window.name);
  out.set_base_address(window.base);
  out.set_size(window.size);
  const std::string ip = ip_name(window.ip_type);
  if (ip == "axi_gpio") {
    config::AxiGpioChannel* channel =
        out.mutable_axi_gpio()->mutable_channel1();
    channel->set_width(32);
    channel->set_tri_default(0xFFFFFFFF);
  } else if (ip == "axi_dma") {
    out.mutable_axi_dma()->set_length_width(26);
  } else {
    out.mutable_registers();
  }
  return out;
}

std::unique_ptr<WindowModel> design_model(const DesignWindow& window,
                                          BufferMemory* memory) {
  try {
    return make_window_model(model_config(window), memory);
  } catch (const ConfigError& error) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      std::string("design ") + error.what());
  }
}

void check_clear_of_pool(const MmioWindows& windows,
                         const BufferMemory* memory) {
  if (memory == nullptr) return;
  try {
    check_buffer_range("buffer_pool", memory->base(), memory->size(), windows);
  } catch (const ConfigError& error) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT, error.what());
  }
}

}  // namespace

SimBackend::SimBackend(const config::BoardConfig& config)
    : description_{or_default(config.board(), "sim"),
                   or_default(config.platform(), "sim"), "sim"} {
  validate_board_config(config);
  if (config.has_buffer_pool()) {
    memory_ = std::make_unique<SimMemory>(config.buffer_pool().base_address(),
                                          config.buffer_pool().size());
  }
  auto design = std::make_shared<SimDesign>();
  for (const config::Window& window : config.windows()) {
    design->models.push_back(make_window_model(window, memory_.get()));
  }
  design->windows = windows_from_config(config);
  design->status.state = FpgaState::kOperating;
  design->status.manager_state = "operating";
  design->status.design_name = config.design_name();
  design->status.programmed_at_unix_ms = unix_ms_now();
  design_ = std::move(design);
  if (!config.clock_platform().empty()) {
    if (!PlClocks::supports(config.clock_platform())) {
      throw ConfigError("clock_platform '" + config.clock_platform() +
                        "' is not \"zynqmp\" or \"zynq\"");
    }
    clocks_ = std::make_unique<PlClocks>(
        config.clock_platform(),
        std::make_unique<MapClockRegisters>(
            PlClocks::boot_values(config.clock_platform())));
  }
}

std::shared_ptr<const SimDesign> SimBackend::design() const {
  std::lock_guard<std::mutex> lock(design_mutex_);
  return design_;
}

std::shared_ptr<const MmioWindows> SimBackend::windows() const {
  std::shared_ptr<const SimDesign> current = design();
  // Shares ownership of the whole design.
  return std::shared_ptr<const MmioWindows>(current, &current->windows);
}

FpgaStatus SimBackend::fpga_state() const { return design()->status; }

FpgaStatus SimBackend::program(const ProgramRequest& request) {
  check_design_windows(request.windows);
  auto next = std::make_shared<SimDesign>();
  std::vector<MmioWindow> windows;
  for (const DesignWindow& window : request.windows) {
    next->models.push_back(design_model(window, memory_.get()));
    windows.push_back(MmioWindow{window.name, window.base, window.size});
  }
  next->windows = MmioWindows(std::move(windows));
  check_clear_of_pool(next->windows, memory_.get());
  next->status = FpgaStatus{FpgaState::kOperating, "operating",
                            request.design_name,  request.sha256,
                            request.partial,      unix_ms_now()};
  if (!request.device_tree_overlay.empty()) {
    log_debug("sim: ignoring a device-tree overlay of " +
              std::to_string(request.device_tree_overlay.size()) + " bytes");
  }
  const FpgaStatus status = next->status;
  std::lock_guard<std::mutex> lock(design_mutex_);
  design_ = std::move(next);
  return status;
}

WindowModel& SimBackend::locate(const SimDesign& design, uint64_t address,
                                unsigned width, uint64_t* offset) {
  design.windows.check(address, width);
  const MmioWindow* window = design.windows.find(address, width);
  *offset = address - window->base;
  return *design.models[window - design.windows.list().data()];
}

uint64_t SimBackend::read(uint64_t address, unsigned width) {
  const std::shared_ptr<const SimDesign> current = design();
  uint64_t offset = 0;
  WindowModel& model = locate(*current, address, width, &offset);
  std::lock_guard<std::mutex> lock(model_mutex_);
  return model.read(offset, width);
}

void SimBackend::write(uint64_t address, unsigned width, uint64_t value) {
  const std::shared_ptr<const SimDesign> current = design();
  uint64_t offset = 0;
  WindowModel& model = locate(*current, address, width, &offset);
  std::lock_guard<std::mutex> lock(model_mutex_);
  model.write(offset, width, value);
}

std::shared_ptr<SimBackend> make_sim_backend(const config::BoardConfig& config,
                                             const std::string& config_path) {
  try {
    return std::make_shared<SimBackend>(config);
  } catch (const ConfigError& error) {
    throw ConfigError(config_path + ": " + error.what());
  }
}

std::shared_ptr<SimBackend> load_sim_backend(const std::string& config_path) {
  return make_sim_backend(load_board_config(config_path), config_path);
}

}  // namespace pynq_remote
