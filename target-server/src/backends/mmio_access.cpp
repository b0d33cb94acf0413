#include "backends/mmio_access.h"

#include <string>

#include "core/status_error.h"

namespace pynq_remote {
namespace {

uint32_t load32(volatile uint8_t* pointer) {
  return *reinterpret_cast<volatile uint32_t*>(pointer);
}

void store32(volatile uint8_t* pointer, uint32_t value) {
  *reinterpret_cast<volatile uint32_t*>(pointer) = value;
}

[[noreturn]] void unsupported_width(unsigned width) {
  throw StatusError(
      grpc::StatusCode::INTERNAL,
      "unsupported access width of " + std::to_string(width) + " bytes");
}

}  // namespace

uint64_t mmio_load(volatile uint8_t* pointer, unsigned width) {
  switch (width) {
    case 1:
      return *pointer;
    case 2:
      return *reinterpret_cast<volatile uint16_t*>(pointer);
    case 4:
      return load32(pointer);
    case 8:
      if (kMmioWordBytes < 8) return split_load64(pointer, load32);
      return *reinterpret_cast<volatile uint64_t*>(pointer);
  }
  unsupported_width(width);
}

void mmio_store(volatile uint8_t* pointer, unsigned width, uint64_t value) {
  switch (width) {
    case 1:
      *pointer = static_cast<uint8_t>(value);
      return;
    case 2:
      *reinterpret_cast<volatile uint16_t*>(pointer) =
          static_cast<uint16_t>(value);
      return;
    case 4:
      store32(pointer, static_cast<uint32_t>(value));
      return;
    case 8:
      if (kMmioWordBytes < 8) return split_store64(pointer, value, store32);
      *reinterpret_cast<volatile uint64_t*>(pointer) = value;
      return;
  }
  unsupported_width(width);
}

}  // namespace pynq_remote
