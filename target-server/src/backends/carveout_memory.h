// The linux backend's buffer memory: a carve-out of board DDR that the
// kernel does not manage (a `mem=` boot argument or a `no-map`
// reserved-memory node), mapped once through the mem device.
//
// Why no cache maintenance is needed: on arm64 the kernel maps /dev/mem
// pages outside its linear map (not pfn_is_map_memory(), which holds for
// both kinds of carve-out) with pgprot_noncached() in
// phys_mem_access_prot(); 32-bit arm does the same for pages that are not
// pfn_valid(). The CPU thus reaches the carve-out uncached, so its writes
// land in DDR where a non-coherent DMA master reads them, and DMA writes
// are seen by the next CPU read, without any clean or invalidate. The
// server grants uncached buffers even when a client asks for cacheable
// ones, and sync() is only a barrier that completes earlier writes.
//
// The catch: pgprot_noncached() is Device-nGnRnE memory on arm64 (Strongly
// Ordered on arm), where unaligned accesses fault and cache-zeroing
// instructions (DC ZVA, used by memset) are not allowed. memcpy() may use
// either, so copies here go through aligned word accesses only.
#ifndef PYNQ_REMOTE_BACKENDS_CARVEOUT_MEMORY_H_
#define PYNQ_REMOTE_BACKENDS_CARVEOUT_MEMORY_H_

#include <cstdint>
#include <string>

#include "backends/buffer_memory.h"
#include "backends/memory_map.h"
#include "core/unique_fd.h"

namespace pynq_remote {

class CarveoutMemory final : public BufferMemory {
 public:
  // Opens `mem_device` read/write and synchronous and maps [base, base +
  // size), which must be page aligned. Throws std::runtime_error (open)
  // or StatusError (mmap) naming the device.
  CarveoutMemory(const std::string& mem_device, uint64_t base, uint64_t size);

  std::string provider() const override { return "carveout"; }
  bool cacheable() const override { return false; }
  void sync(uint64_t address, uint64_t length,
            SyncDirection direction) override;
  // Zeroes the range, so the next session given this memory cannot read
  // what the last one left there.
  void release(uint64_t address, uint64_t length) override;

 protected:
  void copy_out(uint64_t offset, uint8_t* out, uint64_t length) override;
  void copy_in(uint64_t offset, const uint8_t* in, uint64_t length) override;

 private:
  UniqueFd fd_;
  MemoryMap map_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_CARVEOUT_MEMORY_H_
