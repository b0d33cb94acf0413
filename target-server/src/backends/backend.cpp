#include "backends/backend.h"

#include "core/little_endian.h"

namespace pynq_remote {

void Backend::read_block(uint64_t address, unsigned width, uint64_t count,
                         uint8_t* out) {
  for (uint64_t i = 0; i < count; ++i) {
    store_le(out + i * width, read(address + i * width, width), width);
  }
}

void Backend::write_block(uint64_t address, unsigned width, uint64_t count,
                          const uint8_t* in) {
  for (uint64_t i = 0; i < count; ++i) {
    write(address + i * width, width, load_le(in + i * width, width));
  }
}

}  // namespace pynq_remote
