#include "backends/sim_axi_intc.h"

#include <string>

#include "core/board_config.h"

namespace pynq_remote {
namespace {

constexpr uint32_t kMerMe = 0x1;
constexpr uint32_t kMerHie = 0x2;

}  // namespace

void validate_axi_intc(const config::AxiIntc& config) {
  if (config.inputs() < 1 || config.inputs() > 32) {
    throw ConfigError("axi_intc inputs " + std::to_string(config.inputs()) +
                      " must be 1 to 32");
  }
}

AxiIntcModel::AxiIntcModel(const config::AxiIntc& config)
    : mask_(config.inputs() >= 32 ? 0xFFFFFFFF
                                  : (uint32_t{1} << config.inputs()) - 1),
      edge_bits_(config.kind_of_intr() & mask_) {}

void AxiIntcModel::set_input(unsigned index, bool level) {
  if (index >= 32) return;
  const uint32_t bit = (uint32_t{1} << index) & mask_;
  if (bit == 0) return;
  const bool was = (inputs_ & bit) != 0;
  inputs_ = level ? inputs_ | bit : inputs_ & ~bit;
  if ((edge_bits_ & bit) != 0) {
    if (level && !was) isr_ |= bit;
  } else {
    latch_levels();
  }
}

bool AxiIntcModel::irq_output() const {
  return (mer_ & kMerMe) != 0 && (isr_ & ier_) != 0;
}

void AxiIntcModel::latch_levels() { isr_ |= inputs_ & ~edge_bits_ & mask_; }

uint32_t AxiIntcModel::read_register(uint64_t offset) {
  switch (offset) {
    case kIntcIsr:
      return isr_;
    case kIntcIpr:
      return isr_ & ier_;
    case kIntcIer:
      return ier_;
    case kIntcIvr: {
      const uint32_t pending = isr_ & ier_;
      for (unsigned i = 0; i < 32; ++i) {
        if ((pending >> i) & 1) return i;
      }
      return 0xFFFFFFFF;
    }
    case kIntcMer:
      return mer_;
    default:
      return 0;  // IAR, SIE and CIE are write-only
  }
}

void AxiIntcModel::write_register(uint64_t offset, uint32_t value,
                                  uint32_t lanes) {
  value &= lanes;
  switch (offset) {
    case kIntcIsr:
      if ((mer_ & kMerHie) == 0) {
        isr_ = ((isr_ & ~lanes) | value) & mask_;
      }
      break;
    case kIntcIer:
      ier_ = ((ier_ & ~lanes) | value) & mask_;
      break;
    case kIntcIar:
      isr_ &= ~value;
      latch_levels();
      break;
    case kIntcSie:
      ier_ |= value & mask_;
      break;
    case kIntcCie:
      ier_ &= ~value;
      break;
    case kIntcMer:
      mer_ = (mer_ & kMerHie) | (((mer_ & ~lanes) | value) & (kMerMe | kMerHie));
      break;
    default:
      break;
  }
}

}  // namespace pynq_remote
