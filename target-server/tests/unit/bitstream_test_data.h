// Bitstream bytes and their sha256 for cache and service tests.
#ifndef PYNQ_REMOTE_TESTS_UNIT_BITSTREAM_TEST_DATA_H_
#define PYNQ_REMOTE_TESTS_UNIT_BITSTREAM_TEST_DATA_H_

#include <string>

#include "core/sha256.h"

namespace pynq_remote {

// `size` bytes that differ with `seed`.
inline std::string test_bitstream(size_t size, char seed = 'a') {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>(seed + i * 7);
  }
  return bytes;
}

inline std::string sha256_of(const std::string& bytes) {
  Sha256 hash;
  hash.update(bytes.data(), bytes.size());
  return hash.hex_digest();
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_TESTS_UNIT_BITSTREAM_TEST_DATA_H_
