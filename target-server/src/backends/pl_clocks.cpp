#include "backends/pl_clocks.h"

#include <cmath>
#include <limits>

#include "core/hex.h"
#include "core/status_error.h"

namespace pynq_remote {

struct ClockSource {
  const char* name;      // nullptr: this selector value is not a PLL
  uint64_t pll_control;  // the PLL's control register
};

struct PlClocks::Layout {
  const char* platform;
  double reference_mhz;
  std::vector<ClockRegisterPage> pages;
  // Written with unlock_key before any change; 0 when nothing is locked.
  uint64_t unlock_address;
  uint32_t unlock_key;

  uint64_t pl_controls[PlClocks::kCount];
  unsigned srcsel_shift;
  uint32_t srcsel_mask;
  unsigned divisor1_shift;  // divisor0 is at bit 8 everywhere
  int enable_bit;           // -1: the clock always runs
  ClockSource pl_sources[4];
  uint32_t pll_srcsel;      // the source set_*() selects: the I/O PLL

  uint64_t cpu_control;
  ClockSource cpu_sources[4];

  unsigned fbdiv_shift;
  int div2_bit;  // -1: no output divider
};

namespace {

constexpr uint32_t kDivisorMask = 0x3F;
constexpr unsigned kDivisor0Shift = 8;

// UG1087: CRL_APB at 0xFF5E0000, CRF_APB at 0xFD1A0000.
const PlClocks::Layout kZynqMp{
    "zynqmp",
    33.333,
    {{0xFF5E0000, 0x1000}, {0xFD1A0000, 0x1000}},
    0,
    0,
    {0xFF5E00C0, 0xFF5E00C4, 0xFF5E00C8, 0xFF5E00CC},
    0,
    0x7,
    16,
    24,
    {{"IOPLL", 0xFF5E0020},
     {nullptr, 0},
     {"RPLL", 0xFF5E0030},
     {"DPLL", 0xFD1A002C}},
    0,
    0xFD1A0060,
    {{"APLL", 0xFD1A0020},
     {nullptr, 0},
     {"DPLL", 0xFD1A002C},
     {"VPLL", 0xFD1A0038}},
    8,
    16};

// UG585: SLCR at 0xF8000000, writable after the unlock key.
const PlClocks::Layout kZynq{
    "zynq",
    50.0,
    {{0xF8000000, 0x1000}},
    0xF8000008,
    0xDF0D,
    {0xF8000170, 0xF8000180, 0xF8000190, 0xF80001A0},
    4,
    0x3,
    20,
    -1,
    {{"IO PLL", 0xF8000108},
     {"IO PLL", 0xF8000108},
     {"ARM PLL", 0xF8000100},
     {"DDR PLL", 0xF8000104}},
    0,
    0xF8000120,
    {{"ARM PLL", 0xF8000100},
     {"ARM PLL", 0xF8000100},
     {"DDR PLL", 0xF8000104},
     {"IO PLL", 0xF8000108}},
    12,
    -1};

const PlClocks::Layout* find_layout(const std::string& platform) {
  if (platform == kZynqMp.platform) return &kZynqMp;
  if (platform == kZynq.platform) return &kZynq;
  return nullptr;
}

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
  return find_layout(platform) != nullptr;
}

std::vector<ClockRegisterPage> PlClocks::register_pages(
    const std::string& platform) {
  const Layout* layout = find_layout(platform);
  return layout ? layout->pages : std::vector<ClockRegisterPage>{};
}

std::map<uint64_t, uint32_t> PlClocks::boot_values(
    const std::string& platform) {
  if (platform == kZynqMp.platform) {
    const uint32_t pll_div2 = 1u << 16;
    const uint32_t pl_100mhz = (1u << 16) | (15u << 8);  // IOPLL / 15 / 1
    return {{0xFF5E0020, (90u << 8) | pll_div2},  // IOPLL 1500 MHz
            {0xFF5E0030, (72u << 8) | pll_div2},  // RPLL 1200 MHz
            {0xFD1A0020, (72u << 8) | pll_div2},  // APLL 1200 MHz
            {0xFD1A002C, (64u << 8) | pll_div2},  // DPLL 1067 MHz
            {0xFD1A0038, (90u << 8) | pll_div2},  // VPLL 1500 MHz
            {0xFD1A0060, 1u << 8},                // ACPU: APLL / 1
            {0xFF5E00C0, (1u << 24) | pl_100mhz},
            {0xFF5E00C4, pl_100mhz},
            {0xFF5E00C8, pl_100mhz},
            {0xFF5E00CC, pl_100mhz}};
  }
  if (platform == kZynq.platform) {
    return {{0xF8000100, 26u << 12},                 // ARM PLL 1300 MHz
            {0xF8000104, 21u << 12},                 // DDR PLL 1050 MHz
            {0xF8000108, 20u << 12},                 // IO PLL 1000 MHz
            {0xF8000120, 2u << 8},                   // CPU: ARM PLL / 2
            {0xF8000170, (1u << 20) | (10u << 8)},   // 100 MHz
            {0xF8000180, (1u << 20) | (7u << 8)},    // 142.857 MHz
            {0xF8000190, (1u << 20) | (5u << 8)},    // 200 MHz
            {0xF80001A0, (1u << 20) | (10u << 8)}};  // 100 MHz
  }
  return {};
}

PlClocks::PlClocks(const std::string& platform,
                   std::unique_ptr<ClockRegisters> registers)
    : layout_(*find_layout(platform)), registers_(std::move(registers)) {}

PlClocks::~PlClocks() = default;

double PlClocks::pll_mhz(uint64_t control_address) {
  const uint32_t control = registers_->read32(control_address);
  const uint32_t fbdiv = (control >> layout_.fbdiv_shift) & 0x7F;
  const bool div2 = layout_.div2_bit >= 0 && (control >> layout_.div2_bit) & 1;
  return layout_.reference_mhz * fbdiv / (div2 ? 2 : 1);
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
  if (layout_.unlock_address != 0) {
    registers_->write32(layout_.unlock_address, layout_.unlock_key);
  }
  registers_->write32(address, control);
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
  if (layout_.unlock_address != 0 && address == layout_.unlock_address) return;
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
