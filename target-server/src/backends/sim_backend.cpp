#include "backends/sim_backend.h"

#include "core/board_config.h"

namespace pynq_remote {
namespace {

std::string or_default(const std::string& value, const char* fallback) {
  return value.empty() ? fallback : value;
}

}  // namespace

SimBackend::SimBackend(const config::BoardConfig& config)
    : description_{or_default(config.board(), "sim"),
                   or_default(config.platform(), "sim"), "sim"},
      design_name_(config.design_name()) {
  validate_board_config(config);
  if (config.has_buffer_pool()) {
    memory_ = std::make_unique<SimMemory>(config.buffer_pool().base_address(),
                                          config.buffer_pool().size());
  }
  for (const config::Window& window : config.windows()) {
    models_.push_back(make_window_model(window, memory_.get()));
  }
  windows_ = windows_from_config(config);
}

FpgaStatus SimBackend::fpga_state() const {
  return FpgaStatus{FpgaState::kOperating, "operating", design_name_};
}

WindowModel& SimBackend::locate(uint64_t address, unsigned width,
                                uint64_t* offset) {
  windows_.check(address, width);
  const MmioWindow* window = windows_.find(address, width);
  *offset = address - window->base;
  return *models_[window - windows_.list().data()];
}

uint64_t SimBackend::read(uint64_t address, unsigned width) {
  uint64_t offset = 0;
  WindowModel& model = locate(address, width, &offset);
  std::lock_guard<std::mutex> lock(mutex_);
  return model.read(offset, width);
}

void SimBackend::write(uint64_t address, unsigned width, uint64_t value) {
  uint64_t offset = 0;
  WindowModel& model = locate(address, width, &offset);
  std::lock_guard<std::mutex> lock(mutex_);
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
