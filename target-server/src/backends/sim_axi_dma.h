// A model of the AMD AXI DMA IP (PG021) in simple (direct register) mode,
// its MM2S stream looped back into S2MM.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_AXI_DMA_H_
#define PYNQ_REMOTE_BACKENDS_SIM_AXI_DMA_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "backends/buffer_memory.h"
#include "backends/sim_models.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

// Channel register blocks and the offsets inside each, from PG021: MM2S_SA
// is kDmaMm2s + kDmaAddress, S2MM_DA is kDmaS2mm + kDmaAddress.
constexpr uint64_t kDmaMm2s = 0x00;
constexpr uint64_t kDmaS2mm = 0x30;
constexpr uint64_t kDmaControl = 0x00;
constexpr uint64_t kDmaStatus = 0x04;
constexpr uint64_t kDmaAddress = 0x18;
constexpr uint64_t kDmaAddressMsb = 0x1C;
constexpr uint64_t kDmaLength = 0x28;

// DMACR bits.
constexpr uint32_t kDmaRunStop = 1u << 0;
constexpr uint32_t kDmaReset = 1u << 2;
// DMASR bits.
constexpr uint32_t kDmaHalted = 1u << 0;
constexpr uint32_t kDmaIdle = 1u << 1;
constexpr uint32_t kDmaIntErr = 1u << 4;
constexpr uint32_t kDmaDecErr = 1u << 6;
constexpr uint32_t kDmaIocIrq = 1u << 12;
constexpr uint32_t kDmaErrIrq = 1u << 14;

// DMACR after reset: IRQThreshold = 1. DMASR reads Halted.
constexpr uint32_t kDmaControlReset = 0x00010000;

// Bytes the loopback stream buffers before MM2S has to wait.
constexpr uint64_t kDmaStreamBytes = 64 * 1024 * 1024;

// Throws ConfigError for a length_width outside 8..26.
void validate_axi_dma(const config::AxiDma& config);

// The sim has no clock: a transfer runs inside the register write that
// makes it possible.
//
// Writing MM2S_LENGTH on a running channel reads LENGTH bytes at SA
// (+ SA_MSB << 32) as one stream packet; the channel then reports Idle and
// IOC_Irq. Writing S2MM_LENGTH arms a receive of up to LENGTH
// bytes to DA. A packet and an armed receive meet in either order: the
// packet's bytes go to DA, S2MM_LENGTH becomes the bytes written, and S2MM
// reports Idle and IOC_Irq. The stream holds packets up to kDmaStreamBytes
// in all (it always takes one); MM2S waits, not Idle, until there is room.
//
// Errors, as the IP reports them, set the error bit and Err_Irq, clear RS
// and halt the channel, dropping its transfer; only a reset clears them
// and lets RS be set again:
//   - DMADecErr: the source or destination range is not wholly inside the
//     buffer memory (nothing outside it is ever touched);
//   - DMAIntErr: a LENGTH of 0 or above 2^length_width - 1, or a packet
//     longer than the armed receive (its first LENGTH bytes are written).
// LENGTH writes while RS is 0, or while the channel's last transfer is
// still pending, start nothing. Clearing RS drops a pending transfer.
//
// As on the IP, Idle is 0 while halted and after RS is set until the first
// transfer completes (drivers skip the idle check on a first transfer).
// Reset, through either channel's DMACR, resets both channels and empties
// the stream. DMASlvErr never happens. The interrupt enables, threshold and
// delay are stored but nothing raises an interrupt line.
class AxiDmaModel final : public RegisterWindow {
 public:
  // `config` must have passed validate_axi_dma(); `memory` outlives the
  // model.
  AxiDmaModel(const config::AxiDma& config, BufferMemory& memory);

 protected:
  uint32_t read_register(uint64_t offset) override;
  void write_register(uint64_t offset, uint32_t value, uint32_t lanes) override;

 private:
  struct Transfer {
    uint64_t address;
    uint32_t length;
  };

  struct Channel {
    uint32_t control = kDmaControlReset;
    bool idle = false;
    uint32_t errors = 0;      // DMAIntErr, DMASlvErr, DMADecErr
    uint32_t interrupts = 0;  // IOC_Irq, Dly_Irq, Err_Irq
    uint32_t address = 0;
    uint32_t address_msb = 0;
    uint32_t length = 0;
    // MM2S: started, waiting for room in the stream. S2MM: armed.
    std::optional<Transfer> transfer;

    bool running() const { return (control & kDmaRunStop) != 0; }
    uint32_t status() const;
  };

  void write_control(Channel& channel, uint32_t value, uint32_t lanes);
  void write_length(Channel& channel, uint32_t value, uint32_t lanes);
  // Moves data for as long as some transfer can make progress.
  void pump();
  void read_source();
  void deliver_packet();
  void complete(Channel& channel);
  void fail(Channel& channel, uint32_t error);
  void reset();

  const uint32_t max_length_;
  BufferMemory& memory_;
  Channel mm2s_;
  Channel s2mm_;
  std::deque<std::vector<uint8_t>> stream_;  // packets, TLAST at each end
  uint64_t stream_bytes_ = 0;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_AXI_DMA_H_
