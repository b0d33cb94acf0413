// The PS clocks that feed the programmable logic (PYNQ's Clocks): four PL
// clocks, each a PLL divided by two 6-bit divisors, in the PS clock
// controller (ZynqMP CRL_APB/CRF_APB, Zynq-7000 SLCR). This file holds the
// arithmetic over the fields; where they are is pl_clock_layout.h (from
// UG1087 and UG585, as PYNQ's pynq/ps.py uses them).
#ifndef PYNQ_REMOTE_BACKENDS_PL_CLOCKS_H_
#define PYNQ_REMOTE_BACKENDS_PL_CLOCKS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "backends/pl_clock_layout.h"

namespace pynq_remote {

struct PlClock {
  unsigned index = 0;
  bool enabled = false;
  std::string source;  // the PLL, e.g. "IOPLL" or "IO PLL"
  double source_mhz = 0;
  unsigned divisor0 = 0;
  unsigned divisor1 = 0;
  double frequency_mhz = 0;  // 0 when a divisor is 0
};

// 32-bit access to the PS clock controller; backends implement it over
// /dev/mem or a register map.
class ClockRegisters {
 public:
  virtual ~ClockRegisters() = default;
  virtual uint32_t read32(uint64_t address) = 0;
  virtual void write32(uint64_t address, uint32_t value) = 0;
};

class PlClocks {
 public:
  static constexpr unsigned kCount = PlClockLayout::kCount;
  static constexpr unsigned kMaxDivisor = 63;

  // Whether `platform` ("zynqmp", "zynq") has PL clocks we know.
  static bool supports(const std::string& platform);
  // The pages of `platform`'s clock controller; empty when unsupported.
  static std::vector<ClockRegisterPage> register_pages(
      const std::string& platform);
  // Register values after a typical boot (PL0 at 100 MHz), for the sim.
  static std::map<uint64_t, uint32_t> boot_values(const std::string& platform);

  // `platform` must be supported. The reference clock is
  // `reference_mhz` when above 0 (what the device tree says), else PYNQ's
  // default: 33.333 MHz on ZynqMP, 50 MHz on Zynq-7000.
  PlClocks(const std::string& platform,
           std::unique_ptr<ClockRegisters> registers,
           double reference_mhz = 0);

  double reference_mhz() const { return reference_mhz_; }
  ~PlClocks();

  double cpu_mhz();
  std::vector<PlClock> list();
  // Enables clock `index` from the I/O PLL with the two divisors closest to
  // `frequency_mhz`. OUT_OF_RANGE for an index above 3, INVALID_ARGUMENT for
  // a frequency that is not a number, not above 0, or above the PLL's.
  PlClock set_frequency(unsigned index, double frequency_mhz);
  // As set_frequency() with the divisors given; INVALID_ARGUMENT unless
  // both are 1 to 63.
  PlClock set_divisors(unsigned index, unsigned divisor0, unsigned divisor1);

  // Register-level access for hosts that program the clock controller
  // themselves (the PYNQ.remote protocol). pages(): the controller's pages.
  // read_register(): one aligned 32-bit register in them. write_register():
  // a PL clock control goes through set_divisors() with the divisors of
  // `value`, which must select the I/O PLL and keep the clock enabled; a
  // write of the unlock register is accepted and ignored (writes unlock
  // themselves). Anything else is PERMISSION_DENIED.
  const std::vector<ClockRegisterPage>& pages() const;
  uint32_t read_register(uint64_t address);
  void write_register(uint64_t address, uint32_t value);

 private:
  PlClock read_clock(unsigned index);
  double pll_mhz(uint64_t control_address);
  PlClock write_clock(unsigned index, unsigned divisor0, unsigned divisor1);

  const PlClockLayout& layout_;
  double reference_mhz_;
  std::unique_ptr<ClockRegisters> registers_;
  std::mutex mutex_;
};

// The divisor pair, each 1 to 63, whose product is closest to
// source_mhz / target_mhz; the smaller first divisor wins a tie.
std::pair<unsigned, unsigned> closest_divisors(double source_mhz,
                                               double target_mhz);

// Registers in a map: the sim's clock controller. Unknown addresses read 0.
class MapClockRegisters final : public ClockRegisters {
 public:
  explicit MapClockRegisters(std::map<uint64_t, uint32_t> values)
      : values_(std::move(values)) {}
  uint32_t read32(uint64_t address) override;
  void write32(uint64_t address, uint32_t value) override;

 private:
  std::map<uint64_t, uint32_t> values_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_PL_CLOCKS_H_
