// The server's bitstream cache: a folder of `<sha256>.bin` files, written
// atomically by uploads, with a byte budget and least-recently-used eviction.
// File names come only from validated sha256 hex strings.
#ifndef PYNQ_REMOTE_CORE_BITSTREAM_CACHE_H_
#define PYNQ_REMOTE_CORE_BITSTREAM_CACHE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/sha256.h"
#include "core/unique_fd.h"

namespace pynq_remote {

class BitstreamCache;

// One upload in progress: a temporary file in the cache folder, hashed as
// it is written. Destroying it before finish() succeeded removes the file,
// so a broken or cancelled stream leaves nothing.
class BitstreamUpload {
 public:
  ~BitstreamUpload();
  BitstreamUpload(const BitstreamUpload&) = delete;
  BitstreamUpload& operator=(const BitstreamUpload&) = delete;

  // Appends bytes; INVALID_ARGUMENT past the declared size.
  void write(const std::string& data);
  // INVALID_ARGUMENT unless exactly the declared size arrived with the
  // declared sha256; then moves the file into the cache.
  void finish();
  uint64_t bytes_received() const { return received_; }

 private:
  friend class BitstreamCache;
  BitstreamUpload(BitstreamCache& cache, std::string sha256, uint64_t size);

  BitstreamCache& cache_;
  std::string sha256_;
  uint64_t size_;
  std::string temp_path_;
  UniqueFd file_;
  Sha256 hash_;
  uint64_t received_ = 0;
  bool finished_ = false;
};

// Keeps a cached bitstream from eviction while it lives.
class BitstreamPin {
 public:
  ~BitstreamPin();
  BitstreamPin(const BitstreamPin&) = delete;
  BitstreamPin& operator=(const BitstreamPin&) = delete;

  const std::string& sha256() const { return sha256_; }
  // `<cache folder>/<sha256>.bin`.
  const std::string& path() const { return path_; }
  // `<sha256>.bin`, the name inside the cache folder.
  std::string file_name() const { return sha256_ + ".bin"; }

 private:
  friend class BitstreamCache;
  BitstreamPin(BitstreamCache& cache, std::string sha256, std::string path)
      : cache_(cache), sha256_(std::move(sha256)), path_(std::move(path)) {}

  BitstreamCache& cache_;
  std::string sha256_;
  std::string path_;
};

// Thread safe. Uploads and pins must not outlive the cache.
class BitstreamCache {
 public:
  // Creates `directory` when missing, removes temporary files left by
  // earlier runs and indexes the bitstreams there (oldest modified = least
  // recently used), evicting down to `budget_bytes`. Throws
  // std::runtime_error when the folder cannot be created or read.
  BitstreamCache(std::string directory, uint64_t budget_bytes);

  const std::string& directory() const { return directory_; }
  uint64_t budget_bytes() const { return budget_; }
  // Bytes of the bitstreams in the cache.
  uint64_t bytes_used() const;

  // The size of a cached bitstream, nullopt when absent. Not a use.
  std::optional<uint64_t> size_of(const std::string& sha256) const;

  // Starts an upload: INVALID_ARGUMENT for a bad sha256 or size 0,
  // OUT_OF_RANGE above kMaxBitstreamBytes, RESOURCE_EXHAUSTED above the
  // budget.
  std::unique_ptr<BitstreamUpload> start_upload(const std::string& sha256,
                                                uint64_t size);

  // Marks a cached bitstream used and holds it; NOT_FOUND when absent.
  std::unique_ptr<BitstreamPin> pin(const std::string& sha256);

  // The bitstream now loaded in the FPGA, never evicted; empty for none.
  void set_loaded(const std::string& sha256);

 private:
  friend class BitstreamUpload;
  friend class BitstreamPin;

  struct Entry {
    uint64_t size = 0;
    uint64_t last_use = 0;  // a tick of use_clock_
    int pins = 0;
  };

  std::string path_of(const std::string& sha256) const;
  void load_index();
  // Moves a finished upload's file into the cache.
  void commit(const std::string& temp_path, const std::string& sha256,
              uint64_t size);
  void unpin(const std::string& sha256);
  // Removes least recently used entries until `incoming` more bytes fit;
  // RESOURCE_EXHAUSTED when the loaded and pinned ones leave no room.
  // Called with mutex_ held.
  void evict_for(uint64_t incoming, const std::string& keep);

  std::string directory_;
  uint64_t budget_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  uint64_t used_ = 0;
  uint64_t use_clock_ = 0;
  std::string loaded_;
};

}  // namespace pynq_remote

#endif  // PYNQ_REMOTE_CORE_BITSTREAM_CACHE_H_
