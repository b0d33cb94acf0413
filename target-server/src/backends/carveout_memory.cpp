#include "backends/carveout_memory.h"

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

namespace pynq_remote {
namespace {

// The widest access the CPU makes in one instruction: 8 bytes on arm64,
// 4 on arm.
using Word = uintptr_t;

UniqueFd open_mem_device(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_SYNC | O_CLOEXEC));
  if (!fd.valid()) {
    throw std::runtime_error("cannot open " + path + ": " +
                             std::strerror(errno));
  }
  return fd;
}

size_t mappable_length(uint64_t size) {
  if (size > SIZE_MAX) {
    throw std::runtime_error("a carve-out of " + std::to_string(size) +
                             " bytes does not fit in this process");
  }
  return static_cast<size_t>(size);
}

bool word_aligned(const volatile uint8_t* p) {
  return reinterpret_cast<uintptr_t>(p) % sizeof(Word) == 0;
}

void copy_to_device(volatile uint8_t* to, const uint8_t* from, uint64_t n) {
  for (; n > 0 && !word_aligned(to); --n) *to++ = *from++;
  for (; n >= sizeof(Word); n -= sizeof(Word)) {
    Word word;
    std::memcpy(&word, from, sizeof(Word));
    *reinterpret_cast<volatile Word*>(to) = word;
    to += sizeof(Word);
    from += sizeof(Word);
  }
  for (; n > 0; --n) *to++ = *from++;
}

void copy_from_device(uint8_t* to, const volatile uint8_t* from, uint64_t n) {
  for (; n > 0 && !word_aligned(from); --n) *to++ = *from++;
  for (; n >= sizeof(Word); n -= sizeof(Word)) {
    const Word word = *reinterpret_cast<const volatile Word*>(from);
    std::memcpy(to, &word, sizeof(Word));
    to += sizeof(Word);
    from += sizeof(Word);
  }
  for (; n > 0; --n) *to++ = *from++;
}

}  // namespace

CarveoutMemory::CarveoutMemory(const std::string& mem_device, uint64_t base,
                               uint64_t size)
    : BufferMemory(base, size),
      fd_(open_mem_device(mem_device)),
      map_(fd_.get(), mem_device, base, mappable_length(size)) {}

void CarveoutMemory::sync(uint64_t /*address*/, uint64_t /*length*/,
                          SyncDirection /*direction*/) {
  // The mapping is uncached (see the header), so only ordering is left:
  // DSB waits until earlier accesses have completed, not just ordered them.
  std::atomic_thread_fence(std::memory_order_seq_cst);
#if defined(__aarch64__)
  asm volatile("dsb sy" ::: "memory");
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
  asm volatile("dsb" ::: "memory");
#endif
}

void CarveoutMemory::release(uint64_t address, uint64_t length) {
  static const std::array<uint8_t, 64 * 1024> kZeros{};
  for (uint64_t done = 0; done < length; done += kZeros.size()) {
    write(address + done, kZeros.data(),
          std::min<uint64_t>(kZeros.size(), length - done));
  }
}

void CarveoutMemory::copy_out(uint64_t offset, uint8_t* out, uint64_t length) {
  copy_from_device(out, map_.data() + offset, length);
}

void CarveoutMemory::copy_in(uint64_t offset, const uint8_t* in,
                             uint64_t length) {
  copy_to_device(map_.data() + offset, in, length);
}

}  // namespace pynq_remote
