// Packing of bus words into the little-endian byte strings of the wire.
#ifndef PYNQ_REMOTE_CORE_LITTLE_ENDIAN_H_
#define PYNQ_REMOTE_CORE_LITTLE_ENDIAN_H_

#include <cstdint>

namespace pynq_remote {

inline void store_le(uint8_t* out, uint64_t value, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) {
    out[i] = static_cast<uint8_t>(value >> (8 * i));
  }
}

inline uint64_t load_le(const uint8_t* in, unsigned bytes) {
  uint64_t value = 0;
  for (unsigned i = 0; i < bytes; ++i) {
    value |= uint64_t{in[i]} << (8 * i);
  }
  return value;
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_LITTLE_ENDIAN_H_
