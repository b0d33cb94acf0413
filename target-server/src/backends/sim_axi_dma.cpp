#include "backends/sim_axi_dma.h"

#include <algorithm>
#include <string>
#include <utility>

#include "core/board_config.h"

namespace pynq_remote {
namespace {

constexpr uint64_t kChannelBytes = kDmaS2mm - kDmaMm2s;
// RS, Keyhole, the three interrupt enables, IRQThreshold and IRQDelay.
constexpr uint32_t kControlWritable = 0xFFFF7009;
// Write-1-to-clear status bits: IOC_Irq, Dly_Irq, Err_Irq.
constexpr uint32_t kInterruptBits = 0x7000;

uint32_t merge(uint32_t old_value, uint32_t value, uint32_t lanes) {
  return (old_value & ~lanes) | (value & lanes);
}

}  // namespace

void validate_axi_dma(const config::AxiDma& config) {
  if (config.length_width() < 8 || config.length_width() > 26) {
    throw ConfigError("axi_dma length_width " +
                      std::to_string(config.length_width()) +
                      " must be 8 to 26 bits");
  }
}

uint32_t AxiDmaModel::Channel::status() const {
  return (running() ? 0 : kDmaHalted) | (idle ? kDmaIdle : 0) | errors |
         interrupts;
}

AxiDmaModel::AxiDmaModel(const config::AxiDma& config, BufferMemory& memory)
    : max_length_((uint32_t{1} << config.length_width()) - 1),
      memory_(memory) {}

uint32_t AxiDmaModel::read_register(uint64_t offset) {
  if (offset >= 2 * kChannelBytes) return 0;
  const Channel& channel = offset < kDmaS2mm ? mm2s_ : s2mm_;
  switch (offset % kChannelBytes) {
    case kDmaControl:
      return channel.control;
    case kDmaStatus:
      return channel.status();
    case kDmaAddress:
      return channel.address;
    case kDmaAddressMsb:
      return channel.address_msb;
    case kDmaLength:
      return channel.length;
    default:
      return 0;
  }
}

void AxiDmaModel::write_register(uint64_t offset, uint32_t value,
                                 uint32_t lanes) {
  if (offset >= 2 * kChannelBytes) return;
  Channel& channel = offset < kDmaS2mm ? mm2s_ : s2mm_;
  switch (offset % kChannelBytes) {
    case kDmaControl:
      write_control(channel, value, lanes);
      break;
    case kDmaStatus:
      channel.interrupts &= ~(value & lanes & kInterruptBits);
      break;
    case kDmaAddress:
      channel.address = merge(channel.address, value, lanes);
      break;
    case kDmaAddressMsb:
      channel.address_msb = merge(channel.address_msb, value, lanes);
      break;
    case kDmaLength:
      write_length(channel, value, lanes);
      break;
    default:
      break;
  }
}

void AxiDmaModel::write_control(Channel& channel, uint32_t value,
                                uint32_t lanes) {
  const uint32_t control = merge(channel.control, value, lanes);
  if ((control & kDmaReset) != 0) {
    reset();
    return;
  }
  const bool was_running = channel.running();
  channel.control = control & kControlWritable;
  // Errors keep the channel halted until a reset clears them.
  if (channel.errors != 0) channel.control &= ~kDmaRunStop;
  if (was_running && !channel.running()) {
    channel.transfer.reset();
    channel.idle = false;
  }
}

void AxiDmaModel::write_length(Channel& channel, uint32_t value,
                               uint32_t lanes) {
  channel.length = merge(channel.length, value, lanes);
  if (!channel.running() || channel.transfer) return;
  if (channel.length == 0 || channel.length > max_length_) {
    fail(channel, kDmaIntErr);
    return;
  }
  const uint64_t address =
      uint64_t{channel.address_msb} << 32 | channel.address;
  channel.transfer = Transfer{address, channel.length};
  channel.idle = false;
  pump();
}

void AxiDmaModel::pump() {
  while (true) {
    const bool room =
        mm2s_.transfer &&
        (stream_.empty() ||
         stream_bytes_ + mm2s_.transfer->length <= kDmaStreamBytes);
    if (room) {
      read_source();
    } else if (s2mm_.transfer && !stream_.empty()) {
      deliver_packet();
    } else {
      return;
    }
  }
}

void AxiDmaModel::read_source() {
  const Transfer transfer = *mm2s_.transfer;
  mm2s_.transfer.reset();
  if (!memory_.contains(transfer.address, transfer.length)) {
    fail(mm2s_, kDmaDecErr);
    return;
  }
  std::vector<uint8_t> packet(transfer.length);
  memory_.read(transfer.address, packet.data(), transfer.length);
  stream_bytes_ += packet.size();
  stream_.push_back(std::move(packet));
  complete(mm2s_);
}

void AxiDmaModel::deliver_packet() {
  const Transfer transfer = *s2mm_.transfer;
  s2mm_.transfer.reset();
  const std::vector<uint8_t> packet = std::move(stream_.front());
  stream_.pop_front();
  stream_bytes_ -= packet.size();

  const uint32_t written =
      static_cast<uint32_t>(std::min<uint64_t>(packet.size(), transfer.length));
  if (!memory_.contains(transfer.address, written)) {
    fail(s2mm_, kDmaDecErr);
    return;
  }
  memory_.write(transfer.address, packet.data(), written);
  s2mm_.length = written;
  if (packet.size() > transfer.length) {
    fail(s2mm_, kDmaIntErr);
    return;
  }
  complete(s2mm_);
}

void AxiDmaModel::complete(Channel& channel) {
  channel.idle = true;
  channel.interrupts |= kDmaIocIrq;
}

void AxiDmaModel::fail(Channel& channel, uint32_t error) {
  channel.errors |= error;
  channel.interrupts |= kDmaErrIrq;
  channel.control &= ~kDmaRunStop;
  channel.transfer.reset();
  channel.idle = false;
}

void AxiDmaModel::reset() {
  mm2s_ = Channel();
  s2mm_ = Channel();
  stream_.clear();
  stream_bytes_ = 0;
}

}  // namespace pynq_remote
