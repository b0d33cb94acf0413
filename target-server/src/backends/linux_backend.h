// The real board: physical memory through /dev/mem, board facts from procfs,
// the FPGA manager's state from sysfs, and buffers in a DDR carve-out.
#ifndef PYNQ_REMOTE_BACKENDS_LINUX_BACKEND_H_
#define PYNQ_REMOTE_BACKENDS_LINUX_BACKEND_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "backends/backend.h"
#include "backends/carveout_memory.h"
#include "backends/linux_gpio.h"
#include "backends/linux_platform.h"
#include "backends/linux_uio.h"
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
  // The bitstream cache folder, made the kernel's firmware search path when
  // programming. Empty: program() fails with FAILED_PRECONDITION.
  std::string firmware_dir;
};

class LinuxBackend final : public Backend {
 public:
  // Opens the mem device and maps the carve-out; throws std::runtime_error
  // when that fails, ConfigError when the carve-out overlaps a window.
  explicit LinuxBackend(const LinuxBackendOptions& options);

  BoardDescription description() const override { return description_; }
  std::shared_ptr<const MmioWindows> windows() const override;
  FpgaStatus fpga_state() const override;
  // Loads `<sha256>.bin` through the FPGA manager (flags 1 for partial, 0
  // for full) from the firmware search path set to the cache, replaces the
  // server's device-tree overlay, and makes the design windows the
  // allow-list. Design windows outside the board's PL apertures (the
  // allow-list at start) are INVALID_ARGUMENT; kernel refusals are
  // FAILED_PRECONDITION with the errno text and the manager state.
  FpgaStatus program(const ProgramRequest& request) override;

  uint64_t read(uint64_t address, unsigned width) override;
  void write(uint64_t address, unsigned width, uint64_t value) override;
  void read_block(uint64_t address, unsigned width, uint64_t count,
                  uint8_t* out) override;
  void write_block(uint64_t address, unsigned width, uint64_t count,
                   const uint8_t* in) override;

  BufferMemory* buffer_memory() override { return carveout_.get(); }
  // The PS clock controller through the mem device, on zynqmp and zynq.
  PlClocks* pl_clocks() override { return clocks_.get(); }
  // GPIO character devices in paths.dev.
  GpioLines* gpio() override { return &gpio_; }
  // UIO devices of paths.uio_class.
  InterruptLines* interrupts() override { return &uio_; }

 private:
  BoardDescription description_;
  // Replaced whole by program(); calls in flight keep the one they took.
  mutable std::mutex windows_mutex_;
  std::shared_ptr<const MmioWindows> windows_;
  LinuxPaths paths_;
  std::string firmware_dir_;
  // The allow-list at start: design windows must lie inside it.
  MmioWindows apertures_;
  // What program() last loaded; guarded by windows_mutex_.
  FpgaStatus programmed_;
  PhysicalMemory memory_;
  std::unique_ptr<CarveoutMemory> carveout_;
  std::unique_ptr<PlClocks> clocks_;
  LinuxGpio gpio_;
  LinuxUio uio_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_LINUX_BACKEND_H_
