// Loads and stores of device registers through a mapping of /dev/mem.
#ifndef PYNQ_REMOTE_BACKENDS_MMIO_ACCESS_H_
#define PYNQ_REMOTE_BACKENDS_MMIO_ACCESS_H_

#include <cstdint>

namespace pynq_remote {

// The widest access the CPU makes in one load or store: 8 bytes on a 64-bit
// CPU, 4 on a 32-bit one (armhf: the Zynq-7000's Cortex-A9, whose general
// purpose AXI ports to the PL are 32 bits wide).
constexpr unsigned kMmioWordBytes = sizeof(uintptr_t) >= 8 ? 8 : 4;

// One access of `width` bytes (1, 2, 4 or 8) at `pointer`, aligned to
// `width`: device registers may react to every access, so no memcpy and no
// splitting, except that a 32-bit CPU makes an 8-byte access as two 4-byte
// accesses, the lower address first (see split_load64), as PYNQ's MMIO does
// and as a 32-bit bus would split it anyway: the two halves are not read or
// written atomically. INTERNAL for any other width.
uint64_t mmio_load(volatile uint8_t* pointer, unsigned width);
void mmio_store(volatile uint8_t* pointer, unsigned width, uint64_t value);

// An 8-byte access as two 4-byte accesses through `load32(pointer)` /
// `store32(pointer, value)`: the word at `pointer` (the low half, on a
// little-endian CPU) first, then the word 4 bytes above it.
template <typename Load32>
uint64_t split_load64(volatile uint8_t* pointer, Load32&& load32) {
  const uint64_t low = load32(pointer);
  const uint64_t high = load32(pointer + 4);
  return high << 32 | low;
}

template <typename Store32>
void split_store64(volatile uint8_t* pointer, uint64_t value,
                   Store32&& store32) {
  store32(pointer, static_cast<uint32_t>(value));
  store32(pointer + 4, static_cast<uint32_t>(value >> 32));
}

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_MMIO_ACCESS_H_
