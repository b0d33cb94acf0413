#include "core/buffer_pool.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "core/limits.h"
#include "core/session_repository.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

bool is_power_of_two(uint64_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

uint64_t round_up_to_page(uint64_t size) {
  return size + (kBufferPageBytes - size % kBufferPageBytes) % kBufferPageBytes;
}

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

}  // namespace

BufferPin::BufferPin(BufferPool* pool, BufferInfo info)
    : pool_(pool), info_(std::move(info)) {}

BufferPin::BufferPin(BufferPin&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      info_(std::move(other.info_)) {}

BufferPin::~BufferPin() {
  if (pool_ != nullptr) pool_->unpin(info_.handle);
}

BufferPool::BufferPool(uint64_t base, uint64_t size, uint64_t session_limit,
                       Release release)
    : base_(base),
      size_(size),
      session_limit_(session_limit == 0 ? size : std::min(session_limit, size)),
      release_(std::move(release)),
      free_bytes_(size) {
  if (size == 0 || base % kBufferPageBytes != 0 ||
      size % kBufferPageBytes != 0 || size - 1 > UINT64_MAX - base) {
    throw std::invalid_argument(
        "a buffer pool needs a page-aligned, non-empty range");
  }
  free_blocks_[base] = size;
}

BufferInfo BufferPool::allocate(const std::string& session_id,
                                const std::string& client_name, uint64_t size,
                                uint64_t alignment, bool cacheable) {
  if (alignment == 0) alignment = kBufferPageBytes;
  check_arguments(size, alignment);
  std::lock_guard<std::mutex> lock(mutex_);
  // size_ is page aligned, so rounding anything up to it cannot wrap.
  if (size > size_) throw_exhausted_locked(size);
  const uint64_t rounded = round_up_to_page(size);
  const std::optional<Fit> fit = find_fit_locked(rounded, alignment);
  if (!fit) throw_exhausted_locked(size);
  check_session_limit_locked(session_id, rounded);

  BufferInfo info;
  info.handle = next_handle_++;
  info.address = take_locked(*fit, rounded);
  info.size = rounded;
  info.session_id = session_id;
  info.client_name = client_name;
  info.cacheable = cacheable;
  records_[info.handle] = Record{info};
  session_bytes_[session_id] += rounded;
  return info;
}

BufferPin BufferPool::pin(uint64_t handle, const std::string& session_id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Record& record = owned_locked(handle, session_id)->second;
  ++record.pins;
  return BufferPin(this, record.info);
}

BufferInfo BufferPool::free_buffer(uint64_t handle,
                                   const std::string& session_id) {
  std::optional<Range> range;
  BufferInfo info;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Records::iterator record = owned_locked(handle, session_id);
    info = record->second.info;
    range = retire_locked(record);
  }
  if (range) give_back(*range);
  return info;
}

BufferInfo BufferPool::force_free_buffer(uint64_t handle) {
  std::optional<Range> range;
  BufferInfo info;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Records::iterator record = records_.find(handle);
    if (record == records_.end() || record->second.freed) {
      throw StatusError(grpc::StatusCode::NOT_FOUND,
                        "no buffer " + std::to_string(handle));
    }
    info = record->second.info;
    range = retire_locked(record);
  }
  if (range) give_back(*range);
  return info;
}

FreedBuffers BufferPool::free_session(const std::string& session_id) {
  FreedBuffers freed;
  std::vector<Range> ranges;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto record = records_.begin(); record != records_.end();) {
      const auto next = std::next(record);
      if (!record->second.freed &&
          record->second.info.session_id == session_id) {
        ++freed.count;
        freed.bytes += record->second.info.size;
        if (std::optional<Range> range = retire_locked(record)) {
          ranges.push_back(*range);
        }
      }
      record = next;
    }
  }
  for (const Range& range : ranges) give_back(range);
  return freed;
}

std::vector<BufferInfo> BufferPool::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<BufferInfo> buffers;
  for (const auto& entry : records_) {
    if (!entry.second.freed) buffers.push_back(entry.second.info);
  }
  return buffers;
}

PoolUsage BufferPool::usage() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return PoolUsage{base_, size_, free_bytes_, largest_free_locked(),
                   session_limit_};
}

void BufferPool::check_arguments(uint64_t size, uint64_t alignment) {
  if (size == 0) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "size must be greater than 0");
  }
  if (alignment < kBufferPageBytes || !is_power_of_two(alignment)) {
    throw StatusError(
        grpc::StatusCode::INVALID_ARGUMENT,
        "alignment must be a power of two of at least 4096 bytes");
  }
}

std::optional<BufferPool::Fit> BufferPool::find_fit_locked(
    uint64_t size, uint64_t alignment) const {
  for (const auto& [start, length] : free_blocks_) {
    const uint64_t padding = (alignment - start % alignment) % alignment;
    if (padding <= length && length - padding >= size) {
      return Fit{start, padding};
    }
  }
  return std::nullopt;
}

void BufferPool::check_session_limit_locked(const std::string& session_id,
                                            uint64_t size) const {
  const auto held = session_bytes_.find(session_id);
  const uint64_t holding = held == session_bytes_.end() ? 0 : held->second;
  if (size <= session_limit_ && holding <= session_limit_ - size) return;
  throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                    "session " + quoted_session_id(session_id) +
                        " would hold " +
                        std::to_string(saturating_add(holding, size)) +
                        " bytes, over its limit of " +
                        std::to_string(session_limit_) + " bytes");
}

uint64_t BufferPool::take_locked(const Fit& fit, uint64_t size) {
  const uint64_t length = free_blocks_[fit.block];
  free_blocks_.erase(fit.block);
  if (fit.padding > 0) free_blocks_[fit.block] = fit.padding;
  const uint64_t tail = length - fit.padding - size;
  if (tail > 0) free_blocks_[fit.block + fit.padding + size] = tail;
  free_bytes_ -= size;
  return fit.block + fit.padding;
}

BufferPool::Records::iterator BufferPool::owned_locked(
    uint64_t handle, const std::string& session_id) {
  const Records::iterator record = records_.find(handle);
  if (record == records_.end() || record->second.freed ||
      record->second.info.session_id != session_id) {
    throw StatusError(
        grpc::StatusCode::NOT_FOUND,
        "no buffer " + std::to_string(handle) + " in this session");
  }
  return record;
}

std::optional<BufferPool::Range> BufferPool::retire_locked(
    Records::iterator record) {
  const BufferInfo& info = record->second.info;
  auto held = session_bytes_.find(info.session_id);
  held->second -= info.size;
  if (held->second == 0) session_bytes_.erase(held);

  if (record->second.pins > 0) {
    record->second.freed = true;
    return std::nullopt;
  }
  const Range range{info.address, info.size};
  records_.erase(record);
  return range;
}

void BufferPool::give_back(Range range) {
  if (release_) release_(range.address, range.size);
  std::lock_guard<std::mutex> lock(mutex_);
  insert_free_locked(range);
}

void BufferPool::insert_free_locked(Range range) {
  free_bytes_ += range.size;
  auto next = free_blocks_.lower_bound(range.address);
  if (next != free_blocks_.begin()) {
    const auto previous = std::prev(next);
    if (previous->first + previous->second == range.address) {
      range.address = previous->first;
      range.size += previous->second;
      free_blocks_.erase(previous);
    }
  }
  if (next != free_blocks_.end() && range.address + range.size == next->first) {
    range.size += next->second;
    free_blocks_.erase(next);
  }
  free_blocks_[range.address] = range.size;
}

uint64_t BufferPool::largest_free_locked() const {
  uint64_t largest = 0;
  for (const auto& block : free_blocks_) {
    largest = std::max(largest, block.second);
  }
  return largest;
}

void BufferPool::throw_exhausted_locked(uint64_t size) const {
  throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                    "cannot allocate " + std::to_string(size) +
                        " bytes: " + std::to_string(free_bytes_) + " of " +
                        std::to_string(size_) +
                        " bytes free in the buffer pool (largest free block " +
                        std::to_string(largest_free_locked()) + ")");
}

void BufferPool::unpin(uint64_t handle) {
  std::optional<Range> range;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Records::iterator record = records_.find(handle);
    if (record == records_.end()) return;
    if (--record->second.pins > 0 || !record->second.freed) return;
    range = Range{record->second.info.address, record->second.info.size};
    records_.erase(record);
  }
  give_back(*range);
}

}  // namespace pynq_remote
