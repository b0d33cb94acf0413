// Models of what answers accesses to one window of the simulated board.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_MODELS_H_
#define PYNQ_REMOTE_BACKENDS_SIM_MODELS_H_

#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "backends/buffer_memory.h"
#include "config/board_config.pb.h"

namespace pynq_remote {

// Offsets are relative to the window base, aligned to `width` (1, 2, 4 or 8
// bytes) and the access lies inside the window. Models are not thread safe;
// the sim backend serialises calls.
class WindowModel {
 public:
  virtual ~WindowModel() = default;
  virtual uint64_t read(uint64_t offset, unsigned width) = 0;
  virtual void write(uint64_t offset, unsigned width, uint64_t value) = 0;
  // The level of the model's interrupt output; false for models without.
  virtual bool irq_output() const { return false; }
};

// A window of 32-bit registers. 8- and 16-bit accesses act on byte lanes of
// the register holding them; a 64-bit access is two consecutive registers,
// the low one first.
class RegisterWindow : public WindowModel {
 public:
  uint64_t read(uint64_t offset, unsigned width) final;
  void write(uint64_t offset, unsigned width, uint64_t value) final;

 protected:
  // `offset` is 4-aligned. A write changes only the bits set in `lanes`.
  virtual uint32_t read_register(uint64_t offset) = 0;
  virtual void write_register(uint64_t offset, uint32_t value,
                              uint32_t lanes) = 0;
};

// Plain read/write registers with reset values; unlisted offsets reset to 0.
class RegisterFileModel final : public RegisterWindow {
 public:
  explicit RegisterFileModel(const config::RegisterFile& config);

 protected:
  uint32_t read_register(uint64_t offset) override;
  void write_register(uint64_t offset, uint32_t value, uint32_t lanes) override;

 private:
  std::unordered_map<uint64_t, uint32_t> values_;
};

// Byte-addressable memory, little-endian.
class RamModel final : public WindowModel {
 public:
  RamModel(uint64_t size, uint8_t fill_byte);

  uint64_t read(uint64_t offset, unsigned width) override;
  void write(uint64_t offset, unsigned width, uint64_t value) override;

 private:
  std::vector<uint8_t> bytes_;
};

// Largest RAM window the sim allocates.
constexpr uint64_t kMaxSimRamBytes = 256 * 1024 * 1024;

// Checks the model part of `window` and builds it. Throws ConfigError with
// a message starting "window 'NAME': ". `memory`, the sim's buffer memory
// (nullptr when the config has none), is what DMA models move bytes in; it
// must outlive the model.
std::unique_ptr<WindowModel> make_window_model(const config::Window& window,
                                               BufferMemory* memory = nullptr);

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_MODELS_H_
