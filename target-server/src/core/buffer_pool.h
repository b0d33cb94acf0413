// Buffers of physically contiguous memory owned by sessions: a first-fit
// allocator over a range of physical addresses and the table of buffers.
#ifndef PYNQ_REMOTE_CORE_BUFFER_POOL_H_
#define PYNQ_REMOTE_CORE_BUFFER_POOL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace pynq_remote {

struct BufferInfo {
  uint64_t handle = 0;
  uint64_t address = 0;  // physical
  uint64_t size = 0;     // a multiple of kBufferPageBytes
  std::string session_id;
  std::string client_name;
  bool cacheable = false;
};

struct FreedBuffers {
  uint64_t count = 0;
  uint64_t bytes = 0;
};

struct PoolUsage {
  uint64_t base = 0;
  uint64_t size = 0;
  uint64_t free_bytes = 0;
  uint64_t largest_free_block = 0;
  uint64_t session_limit = 0;
};

class BufferPool;

// Keeps the memory of a buffer reserved while a call uses it. A buffer
// freed meanwhile leaves the table at once, but its range goes back to the
// pool only when the last pin goes, so no other buffer can be placed over
// bytes a stream is still copying.
class BufferPin {
 public:
  BufferPin(BufferPin&& other) noexcept;
  BufferPin& operator=(BufferPin&&) = delete;
  BufferPin(const BufferPin&) = delete;
  BufferPin& operator=(const BufferPin&) = delete;
  ~BufferPin();

  const BufferInfo& info() const { return info_; }

 private:
  friend class BufferPool;
  BufferPin(BufferPool* pool, BufferInfo info);

  BufferPool* pool_;  // nullptr once moved from; outlived by the pool
  BufferInfo info_;
};

// Thread safe. Errors are StatusErrors; no argument value can make the
// arithmetic wrap.
class BufferPool {
 public:
  // Runs for each range that goes back to the free list, before it can be
  // allocated again, without the pool's lock held.
  using Release = std::function<void(uint64_t address, uint64_t size)>;

  // Manages [base, base + size): page aligned, not empty, not wrapping
  // (std::invalid_argument otherwise). A `session_limit` of 0, or above
  // `size`, is `size`.
  BufferPool(uint64_t base, uint64_t size, uint64_t session_limit,
             Release release = nullptr);

  // A buffer of `size` bytes rounded up to whole pages, its address a
  // multiple of `alignment` (0: kBufferPageBytes). INVALID_ARGUMENT for a
  // size of 0 or an alignment that is not a power of two of at least a
  // page; RESOURCE_EXHAUSTED when the session would go over its limit or
  // no free block fits.
  BufferInfo allocate(const std::string& session_id,
                      const std::string& client_name, uint64_t size,
                      uint64_t alignment, bool cacheable);

  // Buffer `handle` of `session_id`, pinned; NOT_FOUND when the session
  // has no such buffer (whoever else may own it).
  BufferPin pin(uint64_t handle, const std::string& session_id);

  // Frees buffer `handle` of `session_id` (NOT_FOUND as pin()) and
  // returns what it was.
  BufferInfo free_buffer(uint64_t handle, const std::string& session_id);
  // Frees buffer `handle` whoever owns it; NOT_FOUND when there is none.
  BufferInfo force_free_buffer(uint64_t handle);
  // Frees every buffer of `session_id`.
  FreedBuffers free_session(const std::string& session_id);

  // Every buffer, by handle.
  std::vector<BufferInfo> list() const;
  PoolUsage usage() const;

 private:
  friend class BufferPin;

  struct Record {
    BufferInfo info;
    unsigned pins = 0;
    bool freed = false;  // out of the table; waits for its pins to go
  };
  struct Range {
    uint64_t address;
    uint64_t size;
  };
  using Records = std::map<uint64_t, Record>;

  // Where a buffer fits: a free block and the padding that aligns it.
  struct Fit {
    uint64_t block;
    uint64_t padding;
  };

  // INVALID_ARGUMENT for a bad size or alignment.
  static void check_arguments(uint64_t size, uint64_t alignment);
  // The first free block that fits `size` bytes aligned to `alignment`.
  std::optional<Fit> find_fit_locked(uint64_t size, uint64_t alignment) const;
  // RESOURCE_EXHAUSTED when the session would go over its limit.
  void check_session_limit_locked(const std::string& session_id,
                                  uint64_t size) const;
  // Takes `size` bytes at `fit` off the free list; returns their address.
  uint64_t take_locked(const Fit& fit, uint64_t size);
  Records::iterator owned_locked(uint64_t handle,
                                 const std::string& session_id);
  // Takes a buffer out of the table; its range when no pin holds it.
  std::optional<Range> retire_locked(Records::iterator record);
  // Releases `range`, then puts it back on the free list.
  void give_back(Range range);
  void insert_free_locked(Range range);
  uint64_t largest_free_locked() const;
  [[noreturn]] void throw_exhausted_locked(uint64_t size) const;
  void unpin(uint64_t handle);

  const uint64_t base_;
  const uint64_t size_;
  const uint64_t session_limit_;
  const Release release_;

  mutable std::mutex mutex_;
  std::map<uint64_t, uint64_t> free_blocks_;  // address -> size, coalesced
  uint64_t free_bytes_;
  Records records_;
  std::map<std::string, uint64_t> session_bytes_;
  uint64_t next_handle_ = 1;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_BUFFER_POOL_H_
