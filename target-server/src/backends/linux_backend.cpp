#include "backends/linux_backend.h"
#include "backends/linux_fpga_manager.h"
#include "backends/mmio_access.h"

#include <algorithm>

#include "core/board_config.h"
#include "core/hex.h"
#include "core/little_endian.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

std::string choose_platform(const LinuxBackendOptions& options) {
  if (options.platform != "auto") return options.platform;
  if (options.config && !options.config->platform().empty()) {
    return options.config->platform();
  }
  const std::string detected = detect_platform(options.paths);
  return detected.empty() ? "unknown" : detected;
}

std::string choose_board(const LinuxBackendOptions& options) {
  if (options.config && !options.config->board().empty()) {
    return options.config->board();
  }
  return detect_board(options.paths);
}

MmioWindows choose_windows(const LinuxBackendOptions& options,
                           const std::string& platform) {
  if (options.config) return windows_from_config(*options.config);
  MmioWindows windows(platform_windows(platform));
  if (windows.list().empty()) {
    log_warning("platform '" + platform +
                "' has no built-in MMIO windows and no --config was given: "
                "every MMIO call will be refused");
  }
  return windows;
}

std::unique_ptr<CarveoutMemory> map_carveout(const LinuxBackendOptions& options,
                                             const MmioWindows& windows) {
  AddressRange range;
  std::string origin = "--carveout";
  if (options.carveout) {
    range = *options.carveout;
  } else if (options.config && options.config->has_buffer_pool()) {
    range = {options.config->buffer_pool().base_address(),
             options.config->buffer_pool().size()};
    origin = "buffer_pool";
  } else {
    return nullptr;
  }
  check_buffer_range(origin, range.base, range.size, windows);
  return std::make_unique<CarveoutMemory>(options.mem_device, range.base,
                                          range.size);
}

// The clock controller's registers, which are not on the MMIO allow-list:
// only PlClocks reaches them, mapped on first use.
class PhysicalClockRegisters final : public ClockRegisters {
 public:
  PhysicalClockRegisters(PhysicalMemory& memory,
                         std::vector<ClockRegisterPage> pages)
      : memory_(memory), pages_(std::move(pages)) {}

  uint32_t read32(uint64_t address) override {
    return static_cast<uint32_t>(mmio_load(map(address), 4));
  }
  void write32(uint64_t address, uint32_t value) override {
    mmio_store(map(address), 4, value);
  }

 private:
  volatile uint8_t* map(uint64_t address) {
    for (const ClockRegisterPage& page : pages_) {
      if (address >= page.base && address - page.base < page.size) {
        uint64_t bytes_left = 0;
        return memory_.map(address,
                           MmioWindow{"clock controller", page.base, page.size},
                           &bytes_left);
      }
    }
    throw StatusError(grpc::StatusCode::INTERNAL,
                      "clock register " + to_hex(address) +
                          " is outside the clock controller");
  }

  PhysicalMemory& memory_;
  std::vector<ClockRegisterPage> pages_;
};

}  // namespace

LinuxBackend::LinuxBackend(const LinuxBackendOptions& options)
    : paths_(options.paths),
      firmware_dir_(options.firmware_dir),
      memory_(options.mem_device, options.paths.iomem),
      gpio_(options.paths.dev),
      uio_(options.paths.uio_class, options.paths.dev) {
  const std::string platform = choose_platform(options);
  description_ = BoardDescription{choose_board(options), platform, "linux"};
  windows_ = std::make_shared<const MmioWindows>(
      choose_windows(options, platform));
  carveout_ = map_carveout(options, *windows_);
  apertures_ = *windows_;
  if (PlClocks::supports(platform)) {
    clocks_ = std::make_unique<PlClocks>(
        platform,
        std::make_unique<PhysicalClockRegisters>(
            memory_, PlClocks::register_pages(platform)),
        detect_ps_reference_mhz(options.paths, platform));
    log_info("PS reference clock " + std::to_string(clocks_->reference_mhz()) +
             " MHz");
  }
  log_info(describe_fpga_manager(options.paths));
}

std::shared_ptr<const MmioWindows> LinuxBackend::windows() const {
  std::lock_guard<std::mutex> lock(windows_mutex_);
  return windows_;
}

FpgaStatus LinuxBackend::fpga_state() const {
  FpgaStatus status = read_fpga_status(paths_);
  std::lock_guard<std::mutex> lock(windows_mutex_);
  status.design_name = programmed_.design_name;
  status.sha256 = programmed_.sha256;
  status.partial = programmed_.partial;
  status.programmed_at_unix_ms = programmed_.programmed_at_unix_ms;
  return status;
}

FpgaStatus LinuxBackend::program(const ProgramRequest& request) {
  require_fpga_manager(paths_);
  check_design_windows(request.windows);
  for (const DesignWindow& window : request.windows) {
    check_inside_apertures(window, apertures_);
  }
  if (firmware_dir_.empty()) {
    throw StatusError(grpc::StatusCode::FAILED_PRECONDITION,
                      "this server has no bitstream cache to load from");
  }
  remove_overlay(paths_);
  load_bitstream(paths_, firmware_dir_, request);
  if (!request.device_tree_overlay.empty()) {
    apply_overlay(paths_, request.device_tree_overlay);
  }
  std::vector<MmioWindow> windows;
  for (const DesignWindow& window : request.windows) {
    windows.push_back(MmioWindow{window.name, window.base, window.size});
  }
  auto next = std::make_shared<const MmioWindows>(std::move(windows));
  {
    std::lock_guard<std::mutex> lock(windows_mutex_);
    windows_ = std::move(next);
    programmed_.design_name = request.design_name;
    programmed_.sha256 = request.sha256;
    programmed_.partial = request.partial;
    programmed_.programmed_at_unix_ms = unix_ms_now();
  }
  return fpga_state();
}

uint64_t LinuxBackend::read(uint64_t address, unsigned width) {
  uint64_t bytes_left = 0;
  const std::shared_ptr<const MmioWindows> windows = this->windows();
  windows->check(address, width);
  return mmio_load(
      memory_.map(address, *windows->find(address, width), &bytes_left),
      width);
}

void LinuxBackend::write(uint64_t address, unsigned width, uint64_t value) {
  uint64_t bytes_left = 0;
  const std::shared_ptr<const MmioWindows> windows = this->windows();
  windows->check(address, width);
  mmio_store(
      memory_.map(address, *windows->find(address, width), &bytes_left),
      width, value);
}

// Block transfers go chunk by chunk: one mapping lookup per chunk, then one
// access per word.
void LinuxBackend::read_block(uint64_t address, unsigned width, uint64_t count,
                              uint8_t* out) {
  const std::shared_ptr<const MmioWindows> windows = this->windows();
  windows->check_range(address, width, count);
  const MmioWindow& window = *windows->find(address, width);
  uint64_t done = 0;
  while (done < count) {
    uint64_t bytes_left = 0;
    volatile uint8_t* words =
        memory_.map(address + done * width, window, &bytes_left);
    const uint64_t n = std::min(count - done, bytes_left / width);
    for (uint64_t i = 0; i < n; ++i) {
      store_le(out + (done + i) * width, mmio_load(words + i * width, width),
               width);
    }
    done += n;
  }
}

void LinuxBackend::write_block(uint64_t address, unsigned width, uint64_t count,
                               const uint8_t* in) {
  const std::shared_ptr<const MmioWindows> windows = this->windows();
  windows->check_range(address, width, count);
  const MmioWindow& window = *windows->find(address, width);
  uint64_t done = 0;
  while (done < count) {
    uint64_t bytes_left = 0;
    volatile uint8_t* words =
        memory_.map(address + done * width, window, &bytes_left);
    const uint64_t n = std::min(count - done, bytes_left / width);
    for (uint64_t i = 0; i < n; ++i) {
      mmio_store(words + i * width, width,
                 load_le(in + (done + i) * width, width));
    }
    done += n;
  }
}

}  // namespace pynq_remote
