#include "backends/sim_axi_gpio.h"

#include <string>

#include "core/board_config.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

uint32_t merge(uint32_t old_value, uint32_t value, uint32_t lanes) {
  return (old_value & ~lanes) | (value & lanes);
}

uint32_t pin_mask(uint32_t width) {
  return width >= 32 ? 0xFFFFFFFF : (uint32_t{1} << width) - 1;
}

void validate_channel(const config::AxiGpioChannel& channel, const char* name) {
  if (channel.width() < 1 || channel.width() > 32) {
    throw ConfigError(std::string("axi_gpio ") + name + " width " +
                      std::to_string(channel.width()) +
                      " must be 1 to 32 pins");
  }
  if (channel.all_inputs() && channel.all_outputs()) {
    throw ConfigError(std::string("axi_gpio ") + name +
                      " cannot be all_inputs and all_outputs at once");
  }
}

// The tri-state register after reset: C_TRI_DEFAULT, all inputs when unset,
// all outputs on an all-outputs channel.
uint32_t initial_tri(const config::AxiGpioChannel& config, uint32_t pins) {
  if (config.all_outputs()) return 0;
  return config.has_tri_default() ? config.tri_default() & pins : pins;
}

}  // namespace

void validate_axi_gpio(const config::AxiGpio& config) {
  validate_channel(config.channel1(), "channel1");
  if (config.has_channel2()) validate_channel(config.channel2(), "channel2");
}

AxiGpioModel::Channel::Channel(const config::AxiGpioChannel& config)
    : pins_(pin_mask(config.width())),
      all_inputs_(config.all_inputs()),
      all_outputs_(config.all_outputs()),
      data_out_(config.dout_default() & pins_),
      tri_(initial_tri(config, pins_)),
      input_pins_(config.input_pins() & pins_) {}

uint32_t AxiGpioModel::Channel::read_data() const {
  if (all_inputs_) return input_pins_;
  if (all_outputs_) return data_out_;
  return (tri_ & input_pins_) | (~tri_ & data_out_);
}

uint32_t AxiGpioModel::Channel::read_tri() const { return tri_; }

void AxiGpioModel::Channel::write_data(uint32_t value, uint32_t lanes) {
  if (all_inputs_) return;
  data_out_ = merge(data_out_, value, lanes & pins_);
}

void AxiGpioModel::Channel::write_tri(uint32_t value, uint32_t lanes) {
  if (all_outputs_) return;
  tri_ = merge(tri_, value, lanes & pins_);
}

bool AxiGpioModel::Channel::set_input(uint32_t value) {
  const uint32_t inputs = all_outputs_ ? 0 : all_inputs_ ? pins_ : tri_;
  const uint32_t changed = (input_pins_ ^ value) & inputs & pins_;
  input_pins_ = value & pins_;
  return changed != 0;
}

void AxiGpioModel::set_input(unsigned channel, uint32_t value) {
  Channel* target = channel == 1 ? &channel1_ : channel == 2 ? &channel2_
                                                              : nullptr;
  if (target == nullptr || !target->present()) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "this AXI GPIO has no channel " + std::to_string(channel));
  }
  if (target->set_input(value)) ip_isr_ |= channel == 1 ? 0x1 : 0x2;
}

bool AxiGpioModel::irq_output() const {
  return (gier_ & 0x80000000) != 0 && (ip_isr_ & ip_ier_) != 0;
}

AxiGpioModel::AxiGpioModel(const config::AxiGpio& config)
    : channel1_(config.channel1()) {
  if (config.has_channel2()) channel2_ = Channel(config.channel2());
}

uint32_t AxiGpioModel::read_register(uint64_t offset) {
  switch (offset) {
    case kGpioData:
      return channel1_.read_data();
    case kGpioTri:
      return channel1_.read_tri();
    case kGpio2Data:
      return channel2_.read_data();
    case kGpio2Tri:
      return channel2_.read_tri();
    case kGpioGier:
      return gier_;
    case kGpioIpIsr:
      return ip_isr_;
    case kGpioIpIer:
      return ip_ier_;
    default:
      return 0;
  }
}

void AxiGpioModel::write_register(uint64_t offset, uint32_t value,
                                  uint32_t lanes) {
  switch (offset) {
    case kGpioData:
      channel1_.write_data(value, lanes);
      break;
    case kGpioTri:
      channel1_.write_tri(value, lanes);
      break;
    case kGpio2Data:
      channel2_.write_data(value, lanes);
      break;
    case kGpio2Tri:
      channel2_.write_tri(value, lanes);
      break;
    case kGpioGier:
      gier_ = merge(gier_, value, lanes) & 0x80000000;
      break;
    case kGpioIpIsr:
      ip_isr_ ^= value & lanes & 0x3;
      break;
    case kGpioIpIer:
      ip_ier_ = merge(ip_ier_, value, lanes) & 0x3;
      break;
    default:
      break;
  }
}

}  // namespace pynq_remote
