// The memory behind the buffer pool: physically contiguous bytes that PL
// masters (DMA engines) reach, addressed by physical address.
#ifndef PYNQ_REMOTE_BACKENDS_BUFFER_MEMORY_H_
#define PYNQ_REMOTE_BACKENDS_BUFFER_MEMORY_H_

#include <cstdint>
#include <string>

namespace pynq_remote {

enum class SyncDirection { kToDevice, kFromDevice };

// Implementations: SimMemory (host memory standing for board DDR) and
// CarveoutMemory (a carve-out of board DDR through the mem device). Bytes
// are copied in and out rather than handed out as pointers because the
// carve-out is device memory on arm, which plain memcpy must not touch
// (see carveout_memory.h). Thread safe; accesses to overlapping bytes from
// several threads race as they would on the board.
class BufferMemory {
 public:
  virtual ~BufferMemory() = default;

  BufferMemory(const BufferMemory&) = delete;
  BufferMemory& operator=(const BufferMemory&) = delete;

  uint64_t base() const { return base_; }
  uint64_t size() const { return size_; }

  // True when [address, address + length) lies inside the memory; correct
  // for any values, including ranges that would wrap past 2^64.
  bool contains(uint64_t address, uint64_t length) const;

  // Copies `length` bytes at `address` into `out`, or from `in` to
  // `address`. The range must pass contains(); otherwise they throw an
  // INTERNAL StatusError and touch nothing.
  void read(uint64_t address, uint8_t* out, uint64_t length);
  void write(uint64_t address, const uint8_t* in, uint64_t length);

  // Where the memory comes from, as ListBuffers reports it: "sim",
  // "carveout".
  virtual std::string provider() const = 0;
  // Whether the CPU reaches the memory through its caches.
  virtual bool cacheable() const = 0;
  // Makes CPU writes visible to devices or device writes visible to the
  // CPU, over a range that passes contains().
  virtual void sync(uint64_t address, uint64_t length,
                    SyncDirection direction) = 0;
  // Tells the provider a freed range is unused; the sim gives its pages
  // back, so it reads as zeros when allocated again.
  virtual void release(uint64_t address, uint64_t length) = 0;

 protected:
  // [base, base + size) must not wrap.
  BufferMemory(uint64_t base, uint64_t size);

  // The copies behind read() and write(), after the range check; `offset`
  // counts from base().
  virtual void copy_out(uint64_t offset, uint8_t* out, uint64_t length) = 0;
  virtual void copy_in(uint64_t offset, const uint8_t* in, uint64_t length) = 0;

 private:
  // INTERNAL unless contains(address, length).
  void check(uint64_t address, uint64_t length) const;

  uint64_t base_;
  uint64_t size_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_BACKENDS_BUFFER_MEMORY_H_
