// Host memory standing for the board DDR the sim's buffer pool covers.
#ifndef PYNQ_REMOTE_BACKENDS_SIM_MEMORY_H_
#define PYNQ_REMOTE_BACKENDS_SIM_MEMORY_H_

#include <cstdint>
#include <string>

#include "backends/buffer_memory.h"

namespace pynq_remote {

// One anonymous mapping of the whole range, reserved but not backed: only
// pages written so far use RAM, so a 512 MiB pool costs what its buffers
// hold. Not cached as far as clients can tell, so sync() does nothing.
class SimMemory final : public BufferMemory {
 public:
  // Throws std::runtime_error when the range cannot be mapped.
  SimMemory(uint64_t base, uint64_t size);
  ~SimMemory() override;

  std::string provider() const override { return "sim"; }
  bool cacheable() const override { return false; }
  void sync(uint64_t /*address*/, uint64_t /*length*/,
            SyncDirection /*direction*/) override {}
  // Drops the pages of the range (RSS falls); they read as zeros again.
  void release(uint64_t address, uint64_t length) override;

 protected:
  void copy_out(uint64_t offset, uint8_t* out, uint64_t length) override;
  void copy_in(uint64_t offset, const uint8_t* in, uint64_t length) override;

 private:
  uint8_t* data_;
  size_t page_bytes_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_SIM_MEMORY_H_
