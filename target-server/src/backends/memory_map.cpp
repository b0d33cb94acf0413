#include "backends/memory_map.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
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

std::string join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    joined += (joined.empty() ? "" : ", ") + part;
  }
  return joined;
}

StatusError refused_by_kernel(const std::string& device, uint64_t offset,
                              size_t length, const std::string& iomem_path) {
  std::vector<std::string> claimants;
  if (!iomem_path.empty()) {
    std::ifstream file(iomem_path);
    std::ostringstream text;
    text << file.rdbuf();
    claimants = iomem_claimants(text.str(), offset, offset + length - 1);
  }
  const std::string who =
      claimants.empty() ? "a driver claims it"
                        : "claimed by " + join(claimants) + " in /proc/iomem";
  return StatusError(
      grpc::StatusCode::PERMISSION_DENIED,
      "the kernel refuses to map " + to_hex(offset) + "-" +
          to_hex(offset + length - 1) + " of " + device + " (" + who +
          "; CONFIG_IO_STRICT_DEVMEM keeps /dev/mem out of a driver's "
          "region): unbind that driver, or boot the kernel with iomem=relaxed");
}

}  // namespace

std::vector<std::string> iomem_claimants(const std::string& iomem,
                                         uint64_t first, uint64_t last) {
  std::vector<std::string> names;
  std::istringstream lines(iomem);
  std::string line;
  while (std::getline(lines, line)) {
    // "  40000000-40000fff : 40000000.sram"
    const size_t dash = line.find('-');
    const size_t colon = line.find(" : ");
    if (dash == std::string::npos || colon == std::string::npos || dash > colon) {
      continue;
    }
    try {
      const uint64_t start = std::stoull(line.substr(0, dash), nullptr, 16);
      const uint64_t end =
          std::stoull(line.substr(dash + 1, colon - dash - 1), nullptr, 16);
      const std::string name = line.substr(colon + 3);
      if (start <= last && first <= end &&
          std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    } catch (const std::exception&) {
      continue;  // not a range line
    }
  }
  return names;
}

MemoryMap::MemoryMap(int fd, const std::string& device, uint64_t offset,
                     size_t length, const std::string& iomem_path)
    : data_(nullptr), length_(length) {
  void* data = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                      static_cast<off_t>(offset));
  if (data == MAP_FAILED && errno == EPERM) {
    throw refused_by_kernel(device, offset, length, iomem_path);
  }
  if (data == MAP_FAILED) {
    throw StatusError(grpc::StatusCode::INTERNAL,
                      "cannot map " + std::to_string(length) + " bytes at " +
                          to_hex(offset) + " of " + device + ": " +
                          std::strerror(errno));
  }
  data_ = static_cast<volatile uint8_t*>(data);
}

MemoryMap::~MemoryMap() { ::munmap(const_cast<uint8_t*>(data_), length_); }

PhysicalMemory::PhysicalMemory(const std::string& device,
                               const std::string& iomem_path)
    : device_(device),
      iomem_path_(iomem_path),
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
                                            last - start + 1, iomem_path_);
    }
    chunk = mapping->data();
  }
  *bytes_left = last - address + 1;
  return chunk + (address - start);
}

}  // namespace pynq_remote
