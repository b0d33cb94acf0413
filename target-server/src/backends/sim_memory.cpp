#include "backends/sim_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "core/log.h"

namespace pynq_remote {
namespace {

uint8_t* map_anonymous(uint64_t size) {
  if (size > SIZE_MAX) {
    throw std::runtime_error("the sim buffer pool of " + std::to_string(size) +
                             " bytes does not fit in this process");
  }
  void* data =
      ::mmap(nullptr, static_cast<size_t>(size), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (data == MAP_FAILED) {
    throw std::runtime_error(
        "cannot reserve " + std::to_string(size) +
        " bytes for the sim buffer pool: " + std::strerror(errno));
  }
  return static_cast<uint8_t*>(data);
}

}  // namespace

SimMemory::SimMemory(uint64_t base, uint64_t size)
    : BufferMemory(base, size),
      data_(map_anonymous(size)),
      page_bytes_(static_cast<size_t>(::sysconf(_SC_PAGESIZE))) {}

SimMemory::~SimMemory() { ::munmap(data_, static_cast<size_t>(size())); }

void SimMemory::release(uint64_t address, uint64_t length) {
  if (length == 0 || !contains(address, length)) return;
  // Whole host pages go back to the kernel; the ends of a range that does
  // not cover whole pages (hosts with pages above 4 KiB) are zeroed.
  uint8_t* start = data_ + (address - base());
  uint8_t* end = start + length;
  const auto align_up = [&](uint8_t* p) {
    const uintptr_t value = reinterpret_cast<uintptr_t>(p);
    return p + (page_bytes_ - value % page_bytes_) % page_bytes_;
  };
  uint8_t* first_page = align_up(start);
  uint8_t* end_of_pages = end - reinterpret_cast<uintptr_t>(end) % page_bytes_;
  if (first_page >= end_of_pages) {
    std::memset(start, 0, length);
    return;
  }
  std::memset(start, 0, first_page - start);
  std::memset(end_of_pages, 0, end - end_of_pages);
  if (::madvise(first_page, end_of_pages - first_page, MADV_DONTNEED) != 0) {
    log_warning(
        std::string("madvise(MADV_DONTNEED) failed, zeroing instead: ") +
        std::strerror(errno));
    std::memset(first_page, 0, end_of_pages - first_page);
  }
}

void SimMemory::copy_out(uint64_t offset, uint8_t* out, uint64_t length) {
  std::memcpy(out, data_ + offset, static_cast<size_t>(length));
}

void SimMemory::copy_in(uint64_t offset, const uint8_t* in, uint64_t length) {
  std::memcpy(data_ + offset, in, static_cast<size_t>(length));
}

}  // namespace pynq_remote
