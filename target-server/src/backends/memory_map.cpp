#include "backends/memory_map.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "core/hex.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

static_assert(sizeof(off_t) == 8, "build with _FILE_OFFSET_BITS=64");

// mmap() offsets are signed; keep a chunk's end representable too.
constexpr uint64_t kMaxMappableAddress =
    uint64_t{std::numeric_limits<off_t>::max()} -
    2 * PhysicalMemory::kChunkBytes;

uint64_t align_down(uint64_t value, uint64_t alignment) {
  return value - value % alignment;
}

}  // namespace

MemoryMap::MemoryMap(int fd, const std::string& device, uint64_t offset,
                     size_t length)
    : data_(nullptr), length_(length) {
  void* data = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                      static_cast<off_t>(offset));
  if (data == MAP_FAILED) {
    throw StatusError(grpc::StatusCode::INTERNAL,
                      "cannot map " + std::to_string(length) + " bytes at " +
                          to_hex(offset) + " of " + device + ": " +
                          std::strerror(errno));
  }
  data_ = static_cast<volatile uint8_t*>(data);
}

MemoryMap::~MemoryMap() { ::munmap(const_cast<uint8_t*>(data_), length_); }

PhysicalMemory::PhysicalMemory(const std::string& device)
    : device_(device),
      fd_(::open(device.c_str(), O_RDWR | O_SYNC | O_CLOEXEC)),
      page_bytes_(static_cast<uint64_t>(::sysconf(_SC_PAGESIZE))) {
  if (!fd_.valid()) {
    throw std::runtime_error("cannot open " + device + ": " +
                             std::strerror(errno));
  }
  chunk_bytes_ = std::max(kChunkBytes, page_bytes_);
}

volatile uint8_t* PhysicalMemory::map(uint64_t address,
                                      const MmioWindow& window,
                                      uint64_t* bytes_left) {
  if (address > kMaxMappableAddress) {
    throw StatusError(grpc::StatusCode::INTERNAL, "address " + to_hex(address) +
                                                      " is beyond what " +
                                                      device_ + " can map");
  }
  // The chunk holding `address`, cut down to the pages of the window.
  const uint64_t window_last =
      (window.base + (window.size - 1)) | (page_bytes_ - 1);
  const uint64_t start = std::max(align_down(address, chunk_bytes_),
                                  align_down(window.base, page_bytes_));
  const uint64_t last = std::min(
      align_down(address, chunk_bytes_) + (chunk_bytes_ - 1), window_last);

  volatile uint8_t* chunk = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::unique_ptr<MemoryMap>& mapping = chunks_[{start, last}];
    if (!mapping) {
      mapping = std::make_unique<MemoryMap>(fd_.get(), device_, start,
                                            last - start + 1);
    }
    chunk = mapping->data();
  }
  *bytes_left = last - address + 1;
  return chunk + (address - start);
}

}  // namespace pynq_remote
