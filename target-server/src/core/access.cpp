#include "core/access.h"

#include <string>
#include <utility>

#include "core/hex.h"
#include "core/status_error.h"

namespace pynq_remote {

unsigned width_bytes(v1::Width width) {
  switch (width) {
    case v1::WIDTH_8:
      return 1;
    case v1::WIDTH_16:
      return 2;
    case v1::WIDTH_32:
      return 4;
    case v1::WIDTH_64:
      return 8;
    default:
      throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                        "width must be 8, 16, 32 or 64 bits");
  }
}

void check_value_fits(uint64_t value, unsigned bytes, const char* what) {
  if (bytes >= 8 || value >> (8 * bytes) == 0) return;
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    std::string(what) + " " + to_hex(value) +
                        " does not fit in " + std::to_string(8 * bytes) +
                        " bits");
}

void check_aligned(uint64_t address, unsigned bytes) {
  if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
    throw StatusError(
        grpc::StatusCode::INTERNAL,
        "unsupported access width of " + std::to_string(bytes) + " bytes");
  }
  if (address % bytes == 0) return;
  throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                    "address " + to_hex(address) + " is not aligned to the " +
                        std::to_string(bytes) + "-byte access width");
}

MmioWindows::MmioWindows(std::vector<MmioWindow> windows)
    : windows_(std::move(windows)) {}

const MmioWindow* MmioWindows::find(uint64_t address, uint64_t length) const {
  for (const MmioWindow& window : windows_) {
    // Written without address + length, which can wrap past 2^64.
    if (address >= window.base && length <= window.size &&
        address - window.base <= window.size - length) {
      return &window;
    }
  }
  return nullptr;
}

void MmioWindows::check(uint64_t address, unsigned width) const {
  check_range(address, width, 1);
}

void MmioWindows::check_range(uint64_t address, unsigned width,
                              uint64_t count) const {
  check_aligned(address, width);
  const uint64_t length = (count == 0 ? 1 : count) * width;
  if (find(address, length) != nullptr) return;
  throw StatusError(grpc::StatusCode::PERMISSION_DENIED,
                    "address " + to_hex(address) + " (" +
                        std::to_string(length) +
                        " bytes) is outside the MMIO windows");
}

}  // namespace pynq_remote
