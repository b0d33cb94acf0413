// A model of the AMD AXI Interrupt Controller (PG099).
#ifndef PYNQ_REMOTE_BACKENDS_SIM_AXI_INTC_H_
#define PYNQ_REMOTE_BACKENDS_SIM_AXI_INTC_H_

#include <cstdint>

#include "backends/sim_models.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

// Register offsets from PG099.
constexpr uint64_t kIntcIsr = 0x00;
constexpr uint64_t kIntcIpr = 0x04;
constexpr uint64_t kIntcIer = 0x08;
constexpr uint64_t kIntcIar = 0x0C;
constexpr uint64_t kIntcSie = 0x10;
constexpr uint64_t kIntcCie = 0x14;
constexpr uint64_t kIntcIvr = 0x18;
constexpr uint64_t kIntcMer = 0x1C;

// Throws ConfigError for an input count outside 1..32.
void validate_axi_intc(const config::AxiIntc& config);

// ISR latches interrupts: an edge input sets its bit on a rising edge, a
// level input whenever it is high, so acknowledging (IAR) a level input that
// is still high sets its bit again at once. ISR takes writes only while
// MER.HIE is 0 (software interrupts). IPR = ISR & IER; SIE and CIE set and
// clear IER bits; IVR is the lowest pending input, 0xFFFFFFFF for none.
// MER: ME (bit 0) and HIE (bit 1; once set, it stays). The irq output is
// high while ME is set and IPR is not 0. Inputs beyond the count do nothing.
class AxiIntcModel final : public RegisterWindow {
 public:
  // `config` must have passed validate_axi_intc().
  explicit AxiIntcModel(const config::AxiIntc& config);

  // Drives input `index` (0-based) to `level`.
  void set_input(unsigned index, bool level);
  bool irq_output() const override;

 protected:
  uint32_t read_register(uint64_t offset) override;
  void write_register(uint64_t offset, uint32_t value, uint32_t lanes) override;

 private:
  // ISR |= inputs that are high on level-sensitive bits.
  void latch_levels();

  uint32_t mask_;        // inputs that exist
  uint32_t edge_bits_;   // rising-edge inputs; the others are level
  uint32_t inputs_ = 0;  // current input levels
  uint32_t isr_ = 0;
  uint32_t ier_ = 0;
  uint32_t mer_ = 0;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_AXI_INTC_H_
