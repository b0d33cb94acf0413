// Where the PS clock controller keeps the PL clocks, per platform: register
// addresses, field positions and the PLLs each selector value picks. The
// arithmetic over these fields is in pl_clocks.cpp; each platform's layout
// has its own file (pl_clock_layout_zynqmp.cpp, pl_clock_layout_zynq.cpp).
#ifndef PYNQ_REMOTE_BACKENDS_PL_CLOCK_LAYOUT_H_
#define PYNQ_REMOTE_BACKENDS_PL_CLOCK_LAYOUT_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pynq_remote {

// The clock controller's pages, so a backend can map exactly these.
struct ClockRegisterPage {
  uint64_t base;
  uint64_t size;
};

struct ClockSource {
  const char* name;      // nullptr: this selector value is not a PLL
  uint64_t pll_control;  // the PLL's control register
};

// A register-write lock such as the Zynq-7000 SLCR's: writing `unlock_key`
// to `unlock_address` opens it, `lock_key` to `lock_address` closes it, and
// bit 0 of `status_address` reads 1 while it is closed. All 0: no lock.
struct RegisterLock {
  uint64_t unlock_address;
  uint32_t unlock_key;
  uint64_t lock_address;
  uint32_t lock_key;
  uint64_t status_address;
};

struct PlClockLayout {
  static constexpr unsigned kCount = 4;

  const char* platform;
  double reference_mhz;
  std::vector<ClockRegisterPage> pages;
  RegisterLock lock;

  uint64_t pl_controls[kCount];
  unsigned srcsel_shift;
  uint32_t srcsel_mask;
  unsigned divisor1_shift;  // divisor0 is at bit 8 everywhere
  int enable_bit;           // -1: the clock always runs
  ClockSource pl_sources[4];
  uint32_t pll_srcsel;  // the source set_*() selects: the I/O PLL

  uint64_t cpu_control;
  ClockSource cpu_sources[4];

  unsigned fbdiv_shift;
  int div2_bit;  // -1: no output divider

  // Register values after a typical boot, for the sim.
  std::map<uint64_t, uint32_t> boot_values;
};

// UG1087: CRL_APB and CRF_APB.
const PlClockLayout& zynqmp_clock_layout();
// UG585: the SLCR.
const PlClockLayout& zynq_clock_layout();
// The layout of `platform` ("zynqmp", "zynq"), or nullptr.
const PlClockLayout* find_clock_layout(const std::string& platform);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_PL_CLOCK_LAYOUT_H_
