#include "backends/buffer_memory.h"

#include "core/hex.h"
#include "core/status_error.h"

namespace pynq_remote {

BufferMemory::BufferMemory(uint64_t base, uint64_t size)
    : base_(base), size_(size) {}

bool BufferMemory::contains(uint64_t address, uint64_t length) const {
  return address >= base_ && length <= size_ &&
         address - base_ <= size_ - length;
}

void BufferMemory::read(uint64_t address, uint8_t* out, uint64_t length) {
  check(address, length);
  if (length > 0) copy_out(address - base_, out, length);
}

void BufferMemory::write(uint64_t address, const uint8_t* in, uint64_t length) {
  check(address, length);
  if (length > 0) copy_in(address - base_, in, length);
}

void BufferMemory::check(uint64_t address, uint64_t length) const {
  if (contains(address, length)) return;
  throw StatusError(grpc::StatusCode::INTERNAL,
                    std::to_string(length) + " bytes at " + to_hex(address) +
                        " are outside the buffer memory");
}

}  // namespace pynq_remote
