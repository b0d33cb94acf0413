// The real board: physical memory through /dev/mem, board facts from procfs,
// the FPGA manager's state from sysfs, and buffers in a DDR carve-out.
#ifndef PYNQ_REMOTE_BACKENDS_LINUX_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_LINUX_BACKEND_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "backends/backend.h"
#include "backends/carveout_memory.h"
#include "backends/linux_platform.h"
#include "backends/memory_map.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

struct LinuxBackendOptions {
  std::string mem_device = "/dev/mem";
  // "auto" (from the device tree), "zynqmp" or "zynq": picks the built-in
  // allow-list and the reported platform.
  std::string platform = "auto";
  // When given, its windows replace the built-in allow-list, and its board
  // and platform names, when set, win over what the system says.
  std::optional<config::BoardConfig> config;
  // Memory for buffers, mapped through mem_device; replaces the config's
  // buffer_pool. Without either the server allocates no buffers.
  std::optional<AddressRange> carveout;
  LinuxPaths paths;
};

class LinuxBackend final : public Backend {
 public:
  // Opens the mem device and maps the carve-out; throws std::runtime_error
  // when that fails, ConfigError when the carve-out overlaps a window.
  explicit LinuxBackend(const LinuxBackendOptions& options);

  BoardDescription description() const override { return description_; }
  const MmioWindows& windows() const override { return windows_; }
  FpgaStatus fpga_state() const override;

  uint64_t read(uint64_t address, unsigned width) override;
  void write(uint64_t address, unsigned width, uint64_t value) override;
  void read_block(uint64_t address, unsigned width, uint64_t count,
                  uint8_t* out) override;
  void write_block(uint64_t address, unsigned width, uint64_t count,
                   const uint8_t* in) override;

  BufferMemory* buffer_memory() override { return carveout_.get(); }

 private:
  BoardDescription description_;
  MmioWindows windows_;
  LinuxPaths paths_;
  PhysicalMemory memory_;
  std::unique_ptr<CarveoutMemory> carveout_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_LINUX_BACKEND_H_
