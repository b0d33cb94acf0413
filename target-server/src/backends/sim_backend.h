// The simulated board: windows from a board config, each answered by a model
// (registers, RAM, AXI GPIO, AXI DMA), and host memory standing for the
// buffer pool. Programming a bitstream replaces the windows and their models
// with the design's address map.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "backends/sim_design.h"
#include "backends/sim_gpio.h"
#include "backends/sim_memory.h"
#include "backends/sim_models.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

// The PL-to-PS interrupt lines of a Zynq UltraScale+ (pl_ps_irq0 and
// pl_ps_irq1), which the sim always offers.
std::vector<uint32_t> sim_pl_interrupt_lines();

class SimBackend final : public Backend {
 public:
  // Throws ConfigError (without a file name) when the config is unusable.
  explicit SimBackend(const config::BoardConfig& config);

  BoardDescription description() const override { return description_; }
  std::shared_ptr<const MmioWindows> windows() const override;
  FpgaStatus fpga_state() const override;

  // The design's windows get models by IP type: axi_gpio -> AXI GPIO with
  // one 32-bit channel, all inputs after reset; axi_dma -> AXI DMA
  // (length_width 26) over the buffer memory; axi_intc -> AXI INTC with 32
  // rising-edge inputs (Vivado's default); others -> a register file. The
  // design's interrupts are wired as given, adding the GIC lines they use. The overlay is accepted and ignored. INVALID_ARGUMENT
  // for bad windows or wires.
  FpgaStatus program(const ProgramRequest& request) override;

  uint64_t read(uint64_t address, unsigned width) override;
  void write(uint64_t address, unsigned width, uint64_t value) override;

  BufferMemory* buffer_memory() override { return memory_.get(); }
  // A clock controller model when the config names a clock_platform.
  PlClocks* pl_clocks() override { return clocks_.get(); }
  // The config's gpio_chips; nullptr when it has none.
  GpioLines* gpio() override { return gpio_.get(); }
  InterruptLines* interrupts() override { return &interrupts_; }

  void set_simulated_axi_gpio_input(const std::string& window,
                                    unsigned channel, uint32_t value) override;
  void set_simulated_line_input(const std::string& chip, uint32_t offset,
                                int value) override;

 private:
  class Interrupts final : public InterruptLines {
   public:
    explicit Interrupts(SimBackend& backend) : backend_(backend) {}
    std::vector<uint32_t> available() override;
    void open(uint32_t line, Handler handler) override;
    void rearm(uint32_t line) override;
    void close(uint32_t line) override;
    size_t open_lines() override;
    size_t reader_threads() override { return 0; }

   private:
    SimBackend& backend_;
  };

  struct GicLine {
    InterruptLines::Handler handler;  // empty: not open
    bool armed = false;
    bool level = false;
  };
  using Firing = std::vector<std::pair<uint32_t, InterruptLines::Handler>>;

  // Carries every wire's level through the interrupt controllers to the GIC
  // lines, and returns the open, armed lines that are high, now disarmed.
  // Call with model_mutex_ held.
  Firing propagate_locked(const SimDesign& design);
  // Takes dispatch_mutex_, releases `model_lock`, then calls the handlers.
  void deliver(Firing firing, std::unique_lock<std::mutex> model_lock);

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
  // GIC lines by number; guarded by model_mutex_.
  std::map<uint32_t, GicLine> gic_;
  // Held while handlers run, so close() can wait for them.
  std::mutex dispatch_mutex_;
  Interrupts interrupts_{*this};
  std::unique_ptr<PlClocks> clocks_;
  std::unique_ptr<SimGpio> gpio_;
};

// Builds the sim backend from `config`, loaded from `config_path`; every
// ConfigError message starts with the path.
std::shared_ptr<SimBackend> make_sim_backend(const config::BoardConfig& config,
                                             const std::string& config_path);

// Loads `config_path` and builds the sim backend from it, as above.
std::shared_ptr<SimBackend> load_sim_backend(const std::string& config_path);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_BACKEND_H_
