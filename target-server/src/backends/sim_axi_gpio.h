// A model of the AMD AXI GPIO IP (PG144).
#ifndef PYNQ_REMOTE_BACKENDS_SIM_AXI_GPIO_H_
#define PYNQ_REMOTE_BACKENDS_SIM_AXI_GPIO_H_

#include <cstdint>

#include "backends/sim_models.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

// Register offsets from PG144.
constexpr uint64_t kGpioData = 0x0;
constexpr uint64_t kGpioTri = 0x4;
constexpr uint64_t kGpio2Data = 0x8;
constexpr uint64_t kGpio2Tri = 0xC;
constexpr uint64_t kGpioGier = 0x11C;
constexpr uint64_t kGpioIpIsr = 0x120;
constexpr uint64_t kGpioIpIer = 0x128;

// Throws ConfigError for a channel width outside 1..32 or a channel that is
// both all-inputs and all-outputs.
void validate_axi_gpio(const config::AxiGpio& config);

// DATA reads the input pins on bits whose TRI bit is 1 and the output
// register on the others; all-inputs channels read the pins and ignore data
// writes; all-outputs channels read the output register, and their TRI reads
// 0 and ignores writes. Bits at or above the channel width read 0 and ignore
// writes. Channel 2 reads 0 on a single-channel IP. Interrupts (as with
// C_INTERRUPT_PRESENT = 1): a change of an input pin of channel N sets IP_ISR
// bit N-1, whatever IP_IER says; IP_ISR is toggle-on-write; the ip2intc_irpt
// output is high while GIER bit 31 is set and IP_ISR & IP_IER is not 0.
// GIER keeps only bit 31, IP_IER bits 0 and 1. Other offsets read 0 and
// ignore writes.
class AxiGpioModel final : public RegisterWindow {
 public:
  // `config` must have passed validate_axi_gpio().
  explicit AxiGpioModel(const config::AxiGpio& config);

  // Sets the level the outside world drives on channel `channel`'s (1 or 2)
  // input pins. Throws StatusError NOT_FOUND for another channel number.
  void set_input(unsigned channel, uint32_t value);
  bool irq_output() const override;

 protected:
  uint32_t read_register(uint64_t offset) override;
  void write_register(uint64_t offset, uint32_t value, uint32_t lanes) override;

 private:
  class Channel {
   public:
    Channel() = default;  // absent: reads 0, ignores writes
    explicit Channel(const config::AxiGpioChannel& config);

    uint32_t read_data() const;
    uint32_t read_tri() const;
    void write_data(uint32_t value, uint32_t lanes);
    void write_tri(uint32_t value, uint32_t lanes);
    // Whether a pin that is an input changed.
    bool set_input(uint32_t value);
    bool present() const { return pins_ != 0; }

   private:
    uint32_t pins_ = 0;  // one bit per pin, 0 when the channel is absent
    bool all_inputs_ = false;
    bool all_outputs_ = false;
    uint32_t data_out_ = 0;
    uint32_t tri_ = 0;
    uint32_t input_pins_ = 0;
  };

  Channel channel1_;
  Channel channel2_;
  uint32_t gier_ = 0;
  uint32_t ip_isr_ = 0;
  uint32_t ip_ier_ = 0;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_AXI_GPIO_H_
