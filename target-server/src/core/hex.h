#ifndef PYNQ_REMOTE_CORE_HEX_H_
#define PYNQ_REMOTE_CORE_HEX_H_

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string>

namespace pynq_remote {

// "0x" and lowercase hex digits without padding, e.g. 0xf0000000.
inline std::string to_hex(uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof(text), "0x%" PRIx64, value);
  return text;
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_HEX_H_
