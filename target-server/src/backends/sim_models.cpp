#include "backends/sim_models.h"

#include <string>

#include "backends/sim_axi_dma.h"
#include "backends/sim_axi_gpio.h"
#include "backends/sim_axi_intc.h"
#include "core/board_config.h"
#include "core/hex.h"
#include "core/little_endian.h"

namespace pynq_remote {
namespace {

void validate_register_file(const config::Window& window) {
  for (const config::Register& reg : window.registers().reset_values()) {
    if (reg.offset() % 4 != 0) {
      throw ConfigError("register offset " + to_hex(reg.offset()) +
                        " is not 4-byte aligned");
    }
    if (reg.offset() >= window.size() || window.size() - reg.offset() < 4) {
      throw ConfigError("register offset " + to_hex(reg.offset()) +
                        " is outside the window");
    }
  }
}

void validate_ram(const config::Window& window) {
  if (window.ram().fill_byte() > 0xFF) {
    throw ConfigError("fill_byte " + to_hex(window.ram().fill_byte()) +
                      " does not fit in a byte");
  }
  if (window.size() > kMaxSimRamBytes) {
    throw ConfigError("ram windows are limited to " +
                      std::to_string(kMaxSimRamBytes) + " bytes in the sim");
  }
}

std::unique_ptr<WindowModel> build_model(const config::Window& window,
                                         BufferMemory* memory) {
  switch (window.model_case()) {
    case config::Window::kRegisters:
      validate_register_file(window);
      return std::make_unique<RegisterFileModel>(window.registers());
    case config::Window::kRam:
      validate_ram(window);
      return std::make_unique<RamModel>(
          window.size(), static_cast<uint8_t>(window.ram().fill_byte()));
    case config::Window::kAxiGpio:
      validate_axi_gpio(window.axi_gpio());
      return std::make_unique<AxiGpioModel>(window.axi_gpio());
    case config::Window::kAxiDma:
      validate_axi_dma(window.axi_dma());
      if (memory == nullptr) {
        throw ConfigError(
            "axi_dma needs a buffer_pool in the board config to move bytes "
            "between");
      }
      return std::make_unique<AxiDmaModel>(window.axi_dma(), *memory);
    case config::Window::kAxiIntc:
      validate_axi_intc(window.axi_intc());
      return std::make_unique<AxiIntcModel>(window.axi_intc());
    case config::Window::MODEL_NOT_SET:
      break;
  }
  throw ConfigError("no model: set one of registers, ram, axi_gpio, axi_dma or "
                    "axi_intc");
}

}  // namespace

uint64_t RegisterWindow::read(uint64_t offset, unsigned width) {
  if (width == 8) {
    return read_register(offset) | uint64_t{read_register(offset + 4)} << 32;
  }
  const unsigned shift = 8 * (offset % 4);
  const uint64_t value = read_register(offset - offset % 4) >> shift;
  return width == 4 ? value : value & ((uint64_t{1} << (8 * width)) - 1);
}

void RegisterWindow::write(uint64_t offset, unsigned width, uint64_t value) {
  if (width == 8) {
    write_register(offset, static_cast<uint32_t>(value), 0xFFFFFFFF);
    write_register(offset + 4, static_cast<uint32_t>(value >> 32), 0xFFFFFFFF);
    return;
  }
  const unsigned shift = 8 * (offset % 4);
  const uint32_t width_mask =
      width == 4 ? 0xFFFFFFFF : (uint32_t{1} << (8 * width)) - 1;
  write_register(offset - offset % 4, static_cast<uint32_t>(value << shift),
                 width_mask << shift);
}

RegisterFileModel::RegisterFileModel(const config::RegisterFile& config) {
  for (const config::Register& reg : config.reset_values()) {
    values_[reg.offset()] = reg.value();
  }
}

uint32_t RegisterFileModel::read_register(uint64_t offset) {
  auto found = values_.find(offset);
  return found == values_.end() ? 0 : found->second;
}

void RegisterFileModel::write_register(uint64_t offset, uint32_t value,
                                       uint32_t lanes) {
  uint32_t& stored = values_[offset];
  stored = (stored & ~lanes) | (value & lanes);
}

RamModel::RamModel(uint64_t size, uint8_t fill_byte)
    : bytes_(static_cast<size_t>(size), fill_byte) {}

uint64_t RamModel::read(uint64_t offset, unsigned width) {
  return load_le(&bytes_[offset], width);
}

void RamModel::write(uint64_t offset, unsigned width, uint64_t value) {
  store_le(&bytes_[offset], value, width);
}

std::unique_ptr<WindowModel> make_window_model(const config::Window& window,
                                               BufferMemory* memory) {
  try {
    return build_model(window, memory);
  } catch (const ConfigError& error) {
    throw ConfigError("window '" + window.name() + "': " + error.what());
  }
}

}  // namespace pynq_remote
