// Physical memory through a mem device such as /dev/mem.
#ifndef PYNQ_REMOTE_BACKENDS_MEMORY_MAP_H_
#define PYNQ_REMOTE_BACKENDS_MEMORY_MAP_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/access.h"
#include "core/unique_fd.h"

namespace pynq_remote {

// The names of the /proc/iomem entries (its text in `iomem`) that overlap
// [first, last], outermost first, each once.
std::vector<std::string> iomem_claimants(const std::string& iomem,
                                         uint64_t first, uint64_t last);

// One mmap()ed range of a device, unmapped on destruction.
class MemoryMap {
 public:
  // Maps `length` bytes at `offset` (page aligned) of the open device `fd`;
  // throws a StatusError naming `device` when mmap() fails: PERMISSION_DENIED
  // when the kernel refuses (EPERM: a driver claims the range and
  // CONFIG_IO_STRICT_DEVMEM keeps /dev/mem out), naming the claimants that
  // `iomem_path` (/proc/iomem) lists and iomem=relaxed; INTERNAL otherwise.
  MemoryMap(int fd, const std::string& device, uint64_t offset, size_t length,
            const std::string& iomem_path = "");
  ~MemoryMap();

  MemoryMap(const MemoryMap&) = delete;
  MemoryMap& operator=(const MemoryMap&) = delete;

  volatile uint8_t* data() const { return data_; }

 private:
  volatile uint8_t* data_;
  size_t length_;
};

// Maps physical memory lazily in chunks of at most kChunkBytes, never more
// than the pages of the window being accessed (whole windows can be 1 GiB,
// more than a 32-bit process can map). Chunks stay mapped until destruction.
class PhysicalMemory {
 public:
  static constexpr uint64_t kChunkBytes = 64 * 1024;

  // Opens `device` read/write and synchronous; throws std::runtime_error
  // naming the device when that fails. `iomem_path`: see MemoryMap.
  explicit PhysicalMemory(const std::string& device,
                          const std::string& iomem_path = "");

  // A pointer to `address`, which lies inside `window`, and in `bytes_left`
  // how many bytes from there on are mapped with it.
  volatile uint8_t* map(uint64_t address, const MmioWindow& window,
                        uint64_t* bytes_left);

 private:
  std::string device_;
  std::string iomem_path_;
  UniqueFd fd_;
  uint64_t chunk_bytes_;  // kChunkBytes, or the page size if larger
  uint64_t page_bytes_;
  std::mutex mutex_;
  // Keyed by the first and last physical address of each chunk.
  std::map<std::pair<uint64_t, uint64_t>, std::unique_ptr<MemoryMap>> chunks_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_MEMORY_MAP_H_
