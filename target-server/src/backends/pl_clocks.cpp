#include "backends/pl_clocks.h"

#include <cmath>
#include <limits>

#include "core/hex.h"
#include "core/status_error.h"

namespace pynq_remote {

namespace {

constexpr uint32_t kDivisorMask = 0x3F;
constexpr unsigned kDivisor0Shift = 8;

double rounded_mhz(double mhz) { return std::round(mhz * 1e6) / 1e6; }

void check_index(unsigned index) {
  if (index < PlClocks::kCount) return;
  throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                    "PL clock " + std::to_string(index) +
                        " does not exist: the PS has PL clocks 0 to 3");
}

void check_divisor(const char* name, unsigned divisor) {
  if (divisor >= 1 && divisor <= PlClocks::kMaxDivisor) return;
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    std::string(name) + " " + std::to_string(divisor) +
                        " is out of range: divisors are 1 to 63");
}

}  // namespace

bool PlClocks::supports(const std::string& platform) {
  return find_clock_layout(platform) != nullptr;
}

std::vector<ClockRegisterPage> PlClocks::register_pages(
    const std::string& platform) {
  const PlClockLayout* layout = find_clock_layout(platform);
  return layout ? layout->pages : std::vector<ClockRegisterPage>{};
}

std::map<uint64_t, uint32_t> PlClocks::boot_values(
    const std::string& platform) {
  const PlClockLayout* layout = find_clock_layout(platform);
  return layout ? layout->boot_values : std::map<uint64_t, uint32_t>{};
}

PlClocks::PlClocks(const std::string& platform,
                   std::unique_ptr<ClockRegisters> registers,
                   double reference_mhz)
    : layout_(*find_clock_layout(platform)),
      reference_mhz_(reference_mhz > 0 ? reference_mhz : layout_.reference_mhz),
      registers_(std::move(registers)) {}

PlClocks::~PlClocks() = default;

double PlClocks::pll_mhz(uint64_t control_address) {
  const uint32_t control = registers_->read32(control_address);
  const uint32_t fbdiv = (control >> layout_.fbdiv_shift) & 0x7F;
  const bool div2 = layout_.div2_bit >= 0 && (control >> layout_.div2_bit) & 1;
  return reference_mhz_ * fbdiv / (div2 ? 2 : 1);
}

double PlClocks::cpu_mhz() {
  std::lock_guard<std::mutex> lock(mutex_);
  const uint32_t control = registers_->read32(layout_.cpu_control);
  // The CPU's selector sits where the PL clocks' does.
  const uint32_t selector =
      (control >> layout_.srcsel_shift) & layout_.srcsel_mask;
  const uint32_t divisor = (control >> kDivisor0Shift) & kDivisorMask;
  if (selector >= 4 || layout_.cpu_sources[selector].name == nullptr ||
      divisor == 0) {
    return 0;
  }
  return rounded_mhz(pll_mhz(layout_.cpu_sources[selector].pll_control) /
                     divisor);
}

PlClock PlClocks::read_clock(unsigned index) {
  const uint32_t control = registers_->read32(layout_.pl_controls[index]);
  PlClock clock;
  clock.index = index;
  clock.enabled =
      layout_.enable_bit < 0 || ((control >> layout_.enable_bit) & 1);
  clock.divisor0 = (control >> kDivisor0Shift) & kDivisorMask;
  clock.divisor1 = (control >> layout_.divisor1_shift) & kDivisorMask;
  const uint32_t selector =
      (control >> layout_.srcsel_shift) & layout_.srcsel_mask;
  if (selector >= 4 || layout_.pl_sources[selector].name == nullptr) {
    clock.source = "selector " + std::to_string(selector);
    return clock;
  }
  const ClockSource& source = layout_.pl_sources[selector];
  clock.source = source.name;
  clock.source_mhz = rounded_mhz(pll_mhz(source.pll_control));
  if (clock.divisor0 != 0 && clock.divisor1 != 0) {
    clock.frequency_mhz =
        rounded_mhz(clock.source_mhz / (clock.divisor0 * clock.divisor1));
  }
  return clock;
}

std::vector<PlClock> PlClocks::list() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<PlClock> clocks;
  for (unsigned index = 0; index < kCount; ++index) {
    clocks.push_back(read_clock(index));
  }
  return clocks;
}

PlClock PlClocks::write_clock(unsigned index, unsigned divisor0,
                              unsigned divisor1) {
  const uint64_t address = layout_.pl_controls[index];
  uint32_t control = registers_->read32(address);
  control &= ~(layout_.srcsel_mask << layout_.srcsel_shift);
  control &= ~(kDivisorMask << kDivisor0Shift);
  control &= ~(kDivisorMask << layout_.divisor1_shift);
  control |= layout_.pll_srcsel << layout_.srcsel_shift;
  control |= divisor0 << kDivisor0Shift;
  control |= divisor1 << layout_.divisor1_shift;
  if (layout_.enable_bit >= 0) control |= 1u << layout_.enable_bit;
  // Leave the lock as found: Linux unlocks the SLCR at boot and writes it
  // later (the FPGA manager's level shifters), a first-stage loader that
  // booted something else may have locked it.
  const bool has_lock = layout_.lock.unlock_address != 0;
  const bool was_locked =
      has_lock && (registers_->read32(layout_.lock.status_address) & 1) != 0;
  if (has_lock) {
    registers_->write32(layout_.lock.unlock_address, layout_.lock.unlock_key);
  }
  registers_->write32(address, control);
  if (was_locked) {
    registers_->write32(layout_.lock.lock_address, layout_.lock.lock_key);
  }
  return read_clock(index);
}

PlClock PlClocks::set_divisors(unsigned index, unsigned divisor0,
                               unsigned divisor1) {
  check_index(index);
  check_divisor("divisor0", divisor0);
  check_divisor("divisor1", divisor1);
  std::lock_guard<std::mutex> lock(mutex_);
  return write_clock(index, divisor0, divisor1);
}

PlClock PlClocks::set_frequency(unsigned index, double frequency_mhz) {
  check_index(index);
  std::lock_guard<std::mutex> lock(mutex_);
  const ClockSource& source = layout_.pl_sources[layout_.pll_srcsel];
  const double source_mhz = pll_mhz(source.pll_control);
  if (source_mhz == 0) {
    // A PLL with a zero feedback divisor is stopped, or its register does
    // not read back (QEMU 7.2's ZynqMP has no CRL_APB model).
    throw StatusError(
        grpc::StatusCode::FAILED_PRECONDITION,
        "PL clock " + std::to_string(index) + " cannot be set: its source, the " +
            source.name + ", runs at 0 MHz (its control register " +
            to_hex(source.pll_control) + " reads " +
            to_hex(registers_->read32(source.pll_control)) + ")");
  }
  if (!std::isfinite(frequency_mhz) || frequency_mhz <= 0 ||
      frequency_mhz > source_mhz) {
    throw StatusError(
        grpc::StatusCode::INVALID_ARGUMENT,
        "PL clock frequency " + std::to_string(frequency_mhz) +
            " MHz is out of range: above 0 and at most the " + source.name +
            "'s " + std::to_string(source_mhz) + " MHz");
  }
  const auto [divisor0, divisor1] =
      closest_divisors(source_mhz, frequency_mhz);
  return write_clock(index, divisor0, divisor1);
}

const std::vector<ClockRegisterPage>& PlClocks::pages() const {
  return layout_.pages;
}

uint32_t PlClocks::read_register(uint64_t address) {
  bool inside = false;
  for (const ClockRegisterPage& page : layout_.pages) {
    inside =
        inside || (address >= page.base && address - page.base < page.size);
  }
  if (!inside || address % 4 != 0) {
    throw StatusError(grpc::StatusCode::PERMISSION_DENIED,
                      to_hex(address) +
                          " is not an aligned register of the clock "
                          "controller");
  }
  std::lock_guard<std::mutex> lock(mutex_);
  return registers_->read32(address);
}

void PlClocks::write_register(uint64_t address, uint32_t value) {
  if (layout_.lock.unlock_address != 0 && address == layout_.lock.unlock_address) {
    return;
  }
  for (unsigned index = 0; index < kCount; ++index) {
    if (address != layout_.pl_controls[index]) continue;
    const uint32_t selector =
        (value >> layout_.srcsel_shift) & layout_.srcsel_mask;
    const bool enabled =
        layout_.enable_bit < 0 || ((value >> layout_.enable_bit) & 1);
    if (selector != layout_.pll_srcsel || !enabled) {
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "PL clock " + std::to_string(index) +
                            ": only an enabled clock from the I/O PLL can be "
                            "set");
    }
    set_divisors(index, (value >> kDivisor0Shift) & kDivisorMask,
                 (value >> layout_.divisor1_shift) & kDivisorMask);
    return;
  }
  throw StatusError(grpc::StatusCode::PERMISSION_DENIED,
                    to_hex(address) +
                        " is not a PL clock control register; only those "
                        "can be written");
}

std::pair<unsigned, unsigned> closest_divisors(double source_mhz,
                                               double target_mhz) {
  std::pair<unsigned, unsigned> best{1, 1};
  double best_error = std::numeric_limits<double>::infinity();
  for (unsigned divisor0 = 1; divisor0 <= PlClocks::kMaxDivisor; ++divisor0) {
    for (unsigned divisor1 = 1; divisor1 <= PlClocks::kMaxDivisor;
         ++divisor1) {
      const double error =
          std::abs(source_mhz / (divisor0 * divisor1) - target_mhz);
      if (error < best_error) {
        best_error = error;
        best = {divisor0, divisor1};
      }
    }
  }
  return best;
}

uint32_t MapClockRegisters::read32(uint64_t address) {
  const auto found = values_.find(address);
  return found == values_.end() ? 0 : found->second;
}

void MapClockRegisters::write32(uint64_t address, uint32_t value) {
  values_[address] = value;
}

}  // namespace pynq_remote
