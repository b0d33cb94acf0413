// The simulated board: windows from a board config, each answered by a model
// (registers, RAM, AXI GPIO, AXI DMA), and host memory standing for the
// buffer pool.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/sim_memory.h"
#include "backends/sim_models.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

class SimBackend final : public Backend {
 public:
  // Throws ConfigError (without a file name) when the config is unusable.
  explicit SimBackend(const config::BoardConfig& config);

  BoardDescription description() const override { return description_; }
  const MmioWindows& windows() const override { return windows_; }
  FpgaStatus fpga_state() const override;

  uint64_t read(uint64_t address, unsigned width) override;
  void write(uint64_t address, unsigned width, uint64_t value) override;

  BufferMemory* buffer_memory() override { return memory_.get(); }

 private:
  // The model of the window holding the access and the offset in it;
  // PERMISSION_DENIED when no window holds it.
  WindowModel& locate(uint64_t address, unsigned width, uint64_t* offset);

  BoardDescription description_;
  std::string design_name_;
  MmioWindows windows_;
  // Before the models, which may hold on to it.
  std::unique_ptr<SimMemory> memory_;
  // models_[i] answers windows_.list()[i].
  std::vector<std::unique_ptr<WindowModel>> models_;
  std::mutex mutex_;
};

// Builds the sim backend from `config`, loaded from `config_path`; every
// ConfigError message starts with the path.
std::shared_ptr<SimBackend> make_sim_backend(const config::BoardConfig& config,
                                             const std::string& config_path);

// Loads `config_path` and builds the sim backend from it, as above.
std::shared_ptr<SimBackend> load_sim_backend(const std::string& config_path);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_
