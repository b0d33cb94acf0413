#include "core/bitstream_cache.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/limits.h"
#include "core/log.h"
#include "core/status_error.h"

namespace pynq_remote {
namespace {

namespace fs = std::filesystem;

// Temporary upload files start with this; nothing else in the folder does.
constexpr char kTempPrefix[] = ".upload-";
constexpr char kSuffix[] = ".bin";

std::string errno_text(int error) { return std::strerror(error); }

StatusError io_error(const std::string& what, int error) {
  const grpc::StatusCode code = error == ENOSPC || error == EDQUOT
                                    ? grpc::StatusCode::RESOURCE_EXHAUSTED
                                    : grpc::StatusCode::INTERNAL;
  return StatusError(code, what + ": " + errno_text(error));
}

// `<64 hex>.bin` -> the sha256; empty for any other name.
std::string sha256_of_file_name(const std::string& name) {
  const size_t suffix = std::strlen(kSuffix);
  if (name.size() != 64 + suffix || name.compare(64, suffix, kSuffix) != 0) {
    return "";
  }
  const std::string hex = name.substr(0, 64);
  return is_sha256_hex(hex) ? hex : "";
}

void write_all(int fd, const char* data, size_t size, const std::string& path) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw io_error("cannot write " + path, errno);
    }
    data += written;
    size -= static_cast<size_t>(written);
  }
}

}  // namespace

BitstreamUpload::BitstreamUpload(BitstreamCache& cache, std::string sha256,
                                 uint64_t size)
    : cache_(cache), sha256_(std::move(sha256)), size_(size) {
  std::string pattern = cache_.directory() + "/" + kTempPrefix + "XXXXXX";
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    throw io_error("cannot create a file in the bitstream cache " +
                       cache_.directory(),
                   errno);
  }
  file_ = UniqueFd(fd);
  temp_path_ = pattern;
}

BitstreamUpload::~BitstreamUpload() {
  file_.reset();
  if (!finished_) ::unlink(temp_path_.c_str());
}

void BitstreamUpload::write(const std::string& data) {
  if (data.size() > size_ - received_) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "upload of " + sha256_ + " sent more than the " +
                          std::to_string(size_) + " bytes of its header");
  }
  write_all(file_.get(), data.data(), data.size(), temp_path_);
  hash_.update(data.data(), data.size());
  received_ += data.size();
}

void BitstreamUpload::finish() {
  if (received_ != size_) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "upload of " + sha256_ + " ended after " +
                          std::to_string(received_) + " of " +
                          std::to_string(size_) + " bytes");
  }
  const std::string got = hash_.hex_digest();
  if (got != sha256_) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "sha256 mismatch: got " + got + " for an upload of " +
                          sha256_);
  }
  if (::fsync(file_.get()) != 0) throw io_error("cannot sync " + temp_path_, errno);
  file_.reset();
  cache_.commit(temp_path_, sha256_, size_);
  finished_ = true;
}

BitstreamPin::~BitstreamPin() { cache_.unpin(sha256_); }

BitstreamCache::BitstreamCache(std::string directory, uint64_t budget_bytes)
    : directory_(std::move(directory)), budget_(budget_bytes) {
  std::error_code error;
  fs::create_directories(directory_, error);
  if (error) {
    throw std::runtime_error("cannot create the bitstream cache " +
                             directory_ + ": " + error.message());
  }
  load_index();
}

void BitstreamCache::load_index() {
  struct Found {
    std::string sha256;
    uint64_t size;
    fs::file_time_type modified;
  };
  std::vector<Found> found;
  std::error_code error;
  for (const fs::directory_entry& file : fs::directory_iterator(directory_, error)) {
    const std::string name = file.path().filename().string();
    if (name.rfind(kTempPrefix, 0) == 0) {
      fs::remove(file.path(), error);
      continue;
    }
    const std::string sha256 = sha256_of_file_name(name);
    if (sha256.empty() || !file.is_regular_file(error)) continue;
    found.push_back({sha256, file.file_size(error), file.last_write_time(error)});
  }
  if (error) {
    throw std::runtime_error("cannot read the bitstream cache " + directory_ +
                             ": " + error.message());
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    return a.modified < b.modified;
  });
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Found& file : found) {
    entries_[file.sha256] = Entry{file.size, ++use_clock_, 0};
    used_ += file.size;
  }
  if (used_ > budget_) evict_for(0, "");
}

uint64_t BitstreamCache::bytes_used() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return used_;
}

std::optional<uint64_t> BitstreamCache::size_of(
    const std::string& sha256) const {
  check_sha256_hex(sha256);
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(sha256);
  if (found == entries_.end()) return std::nullopt;
  return found->second.size;
}

std::unique_ptr<BitstreamUpload> BitstreamCache::start_upload(
    const std::string& sha256, uint64_t size) {
  check_sha256_hex(sha256, "header.sha256");
  if (size == 0) {
    throw StatusError(grpc::StatusCode::INVALID_ARGUMENT,
                      "header.size must be greater than 0");
  }
  if (size > kMaxBitstreamBytes) {
    throw StatusError(grpc::StatusCode::OUT_OF_RANGE,
                      "bitstream of " + std::to_string(size) +
                          " bytes exceeds the limit of " +
                          std::to_string(kMaxBitstreamBytes) + " bytes");
  }
  if (size > budget_) {
    throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "bitstream of " + std::to_string(size) +
                          " bytes is larger than the cache budget of " +
                          std::to_string(budget_) + " bytes");
  }
  return std::unique_ptr<BitstreamUpload>(
      new BitstreamUpload(*this, sha256, size));
}

std::unique_ptr<BitstreamPin> BitstreamCache::pin(const std::string& sha256) {
  check_sha256_hex(sha256);
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(sha256);
  if (found == entries_.end()) {
    throw StatusError(grpc::StatusCode::NOT_FOUND,
                      "no bitstream " + sha256 +
                          " in the cache; upload it with UploadBitstream");
  }
  found->second.last_use = ++use_clock_;
  ++found->second.pins;
  return std::unique_ptr<BitstreamPin>(
      new BitstreamPin(*this, sha256, path_of(sha256)));
}

void BitstreamCache::set_loaded(const std::string& sha256) {
  std::lock_guard<std::mutex> lock(mutex_);
  loaded_ = sha256;
}

std::string BitstreamCache::path_of(const std::string& sha256) const {
  return directory_ + "/" + sha256 + kSuffix;
}

void BitstreamCache::commit(const std::string& temp_path,
                            const std::string& sha256, uint64_t size) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(sha256);
  if (found != entries_.end()) {
    // The same bytes are there already: keep them, count this as a use.
    found->second.last_use = ++use_clock_;
    ::unlink(temp_path.c_str());
    return;
  }
  evict_for(size, sha256);
  if (::rename(temp_path.c_str(), path_of(sha256).c_str()) != 0) {
    throw io_error("cannot rename " + temp_path + " to " + path_of(sha256),
                   errno);
  }
  entries_[sha256] = Entry{size, ++use_clock_, 0};
  used_ += size;
}

void BitstreamCache::unpin(const std::string& sha256) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = entries_.find(sha256);
  if (found != entries_.end()) --found->second.pins;
}

void BitstreamCache::evict_for(uint64_t incoming, const std::string& keep) {
  while (used_ + incoming > budget_) {
    auto victim = entries_.end();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      const bool held =
          it->second.pins > 0 || it->first == loaded_ || it->first == keep;
      if (!held && (victim == entries_.end() ||
                    it->second.last_use < victim->second.last_use)) {
        victim = it;
      }
    }
    if (victim == entries_.end()) {
      throw StatusError(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the bitstream cache cannot make room for " +
                            std::to_string(incoming) + " bytes: " +
                            std::to_string(used_) + " of its " +
                            std::to_string(budget_) +
                            " bytes hold the loaded or in-use bitstreams");
    }
    ::unlink(path_of(victim->first).c_str());
    log_info("bitstream cache: evicted " + victim->first + " (" +
             std::to_string(victim->second.size) + " bytes)");
    used_ -= victim->second.size;
    entries_.erase(victim);
  }
}

}  // namespace pynq_remote
