// The simulated board: windows from a board config, each answered by a model
// (registers, RAM, AXI GPIO, AXI DMA), and host memory standing for the
// buffer pool. Programming a bitstream replaces the windows and their models
// with the design's address map.
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

// What the simulated FPGA holds: the allow-list, a model per window and the
// state reported. Immutable once built, apart from the models' registers.
struct SimDesign {
  MmioWindows windows;
  // models[i] answers windows.list()[i].
  std::vector<std::unique_ptr<WindowModel>> models;
  FpgaStatus status;
};

class SimBackend final : public Backend {
 public:
  // Throws ConfigError (without a file name) when the config is unusable.
  explicit SimBackend(const config::BoardConfig& config);

  BoardDescription description() const override { return description_; }
  std::shared_ptr<const MmioWindows> windows() const override;
  FpgaStatus fpga_state() const override;

  // The design's windows get models by IP type: axi_gpio -> AXI GPIO with
  // one 32-bit channel, all inputs after reset; axi_dma -> AXI DMA
  // (length_width 26) over the buffer memory; others -> a register file.
  // The overlay is accepted and ignored. INVALID_ARGUMENT for bad windows.
  FpgaStatus program(const ProgramRequest& request) override;

  uint64_t read(uint64_t address, unsigned width) override;
  void write(uint64_t address, unsigned width, uint64_t value) override;

  BufferMemory* buffer_memory() override { return memory_.get(); }
  // A clock controller model when the config names a clock_platform.
  PlClocks* pl_clocks() override { return clocks_.get(); }

 private:
  std::shared_ptr<const SimDesign> design() const;
  // The model of the window of `design` holding the access and the offset
  // in it; PERMISSION_DENIED when no window holds it.
  static WindowModel& locate(const SimDesign& design, uint64_t address,
                             unsigned width, uint64_t* offset);

  BoardDescription description_;
  // Before the models, which may hold on to it.
  std::unique_ptr<SimMemory> memory_;
  // Swapped whole by program(); calls in flight keep the one they took.
  mutable std::mutex design_mutex_;
  std::shared_ptr<const SimDesign> design_;
  // Serialises the models' register accesses (models are not thread safe).
  std::mutex model_mutex_;
  std::unique_ptr<PlClocks> clocks_;
};

// Builds the sim backend from `config`, loaded from `config_path`; every
// ConfigError message starts with the path.
std::shared_ptr<SimBackend> make_sim_backend(const config::BoardConfig& config,
                                             const std::string& config_path);

// Loads `config_path` and builds the sim backend from it, as above.
std::shared_ptr<SimBackend> load_sim_backend(const std::string& config_path);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_
