#include "backends/sim_backend.h"

#include <utility>

#include "backends/sim_axi_gpio.h"
#include "core/board_config.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

std::string or_default(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

}  // namespace

std::vector<uint32_t> sim_pl_interrupt_lines() {
  std::vector<uint32_t> lines;
  for (uint32_t line = 121; line <= 128; ++line) lines.push_back(line);
  for (uint32_t line = 136; line <= 143; ++line) lines.push_back(line);
  return lines;
}

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
  try {
    design->wires = build_wires(config_wires(config), *design);
  } catch (const StatusError& error) {
    throw ConfigError(error.what());
  }
  for (uint32_t line : sim_pl_interrupt_lines()) gic_[line];
  for (const SimWire& wire : design->wires) {
    if (wire.controller == nullptr) gic_[wire.index];
  }
  if (config.gpio_chips_size() > 0) {
    validate_gpio_chips(config.gpio_chips());
    gpio_ = std::make_unique<SimGpio>(config.gpio_chips());
  }
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
  next->wires = build_wires(request.interrupts, *next);
  for (const SimWire& wire : next->wires) {
    if (wire.controller == nullptr && (wire.index < 32 || wire.index > 1019)) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "interrupt line " + std::to_string(wire.index) +
                            " is not a shared peripheral interrupt (32 to "
                            "1019)");
    }
  }
  {
    // A design may use other PL-to-PS lines than the sim's (a Zynq-7000's
    // 61 to 68, say): the GIC gets them.
    std::lock_guard<std::mutex> lock(model_mutex_);
    for (const SimWire& wire : next->wires) {
      if (wire.controller == nullptr) gic_[wire.index];
    }
  }
  next->status = FpgaStatus{FpgaState::kOperating, "operating",
                            request.design_name,  request.sha256,
                            request.partial,      unix_ms_now()};
  if (!request.device_tree_overlay.empty()) {
    log_debug("sim: ignoring a device-tree overlay of " +
              std::to_string(request.device_tree_overlay.size()) + " bytes");
  }
  const FpgaStatus status = next->status;
  {
    std::lock_guard<std::mutex> lock(design_mutex_);
    design_ = next;
  }
  // The old design's interrupt levels are gone with it.
  std::unique_lock<std::mutex> model_lock(model_mutex_);
  deliver(propagate_locked(*next), std::move(model_lock));
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
  std::unique_lock<std::mutex> lock(model_mutex_);
  model.write(offset, width, value);
  deliver(propagate_locked(*current), std::move(lock));
}

void SimBackend::set_simulated_axi_gpio_input(const std::string& window,
                                              unsigned channel,
                                              uint32_t value) {
  const std::shared_ptr<const SimDesign> current = design();
  const std::vector<MmioWindow>& list = current->windows.list();
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i].name != window) continue;
    auto* gpio = dynamic_cast<AxiGpioModel*>(current->models[i].get());
    if (gpio == nullptr) {
      throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                        "window '" + window + "' is not an AXI GPIO");
    }
    std::unique_lock<std::mutex> lock(model_mutex_);
    gpio->set_input(channel, value);
    deliver(propagate_locked(*current), std::move(lock));
    return;
  }
  throw StatusError(grpc::StatusCode::NOT_FOUND,
                    "no window '" + window + "' in the simulated design");
}

void SimBackend::set_simulated_line_input(const std::string& chip,
                                          uint32_t offset, int value) {
  if (!gpio_) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "no GPIO chip '" + chip + "' on this board");
  }
  gpio_->set_input(chip, offset, value);
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
