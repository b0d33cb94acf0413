// Checks every MMIO access passes before it reaches a backend: the access
// width, address alignment, the allow-list of windows and value ranges.
#ifndef PYNQ_REMOTE_CORE_ACCESS_H_
#define PYNQ_REMOTE_CORE_ACCESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "pynq_remote/v1/mmio.pb.h"

namespace pynq_remote {

// Bytes of one access of `width` (1, 2, 4 or 8); INVALID_ARGUMENT for
// WIDTH_UNSPECIFIED or a value outside the enum.
unsigned width_bytes(v1::Width width);

// INVALID_ARGUMENT unless `value` fits in `bytes` bytes. `what` names the
// value in the message, e.g. "value" or "mask".
void check_value_fits(uint64_t value, unsigned bytes,
                      const char* what = "value");

// INVALID_ARGUMENT unless `address` is a multiple of `bytes`.
void check_aligned(uint64_t address, unsigned bytes);

// A range of physical addresses: [base, base + size).
struct AddressRange {
  uint64_t base = 0;
  uint64_t size = 0;
};

struct MmioWindow {
  std::string name;
  uint64_t base = 0;
  uint64_t size = 0;
};

// The allow-list: physical address ranges clients may access.
class MmioWindows {
 public:
  MmioWindows() = default;
  explicit MmioWindows(std::vector<MmioWindow> windows);

  const std::vector<MmioWindow>& list() const { return windows_; }

  // The window holding all of [address, address + length), or nullptr.
  const MmioWindow* find(uint64_t address, uint64_t length) const;

  // One access of `width` bytes: alignment, then the allow-list.
  void check(uint64_t address, unsigned width) const;
  // `count` consecutive accesses of `width` bytes (count * width must not
  // overflow; the limits guarantee it). A count of 0 is checked as 1.
  void check_range(uint64_t address, unsigned width, uint64_t count) const;

 private:
  std::vector<MmioWindow> windows_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_ACCESS_H_
